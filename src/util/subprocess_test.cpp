// run_process with small scripts written into a temporary directory.
#include "util/subprocess.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace regsweep {
namespace {

class SubprocessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "rs-subprocess-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    m_dir = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(m_dir); }

  std::string script(const std::string& name, const std::string& body) {
    const std::string path = m_dir + "/" + name;
    std::ofstream(path) << "#!/bin/sh\n" << body;
    ::chmod(path.c_str(), 0755);
    return path;
  }

  std::string m_dir;
};

TEST_F(SubprocessTest, CapturesStdoutArgsEnvironmentAndExitStatus) {
  ::setenv("RS_SUBPROCESS_KEPT", "ours", 1);
  ::setenv("RS_SUBPROCESS_REPLACED", "old", 1);
  ProcessOptions options;
  options.argv = {script("p.sh",
                         "printf '%s|%s|%s|%s|' \"$1\" \"$2\" \"$RS_SUBPROCESS_KEPT\" "
                         "\"$RS_SUBPROCESS_REPLACED\"\nread line && echo stdin-had-data\nexit 4\n"),
                  "a b", "c"};
  options.extra_env = {{"RS_SUBPROCESS_REPLACED", "first"}, {"RS_SUBPROCESS_REPLACED", "new"}};
  auto outcome = run_process(options);
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_EQ(outcome->end, ProcessEnd::exited);
  EXPECT_EQ(outcome->exit_status, 4);
  EXPECT_FALSE(outcome->succeeded());
  EXPECT_EQ(outcome->output, "a b|c|ours|new|");  // stdin is /dev/null: read fails
}

TEST_F(SubprocessTest, CapturesTheEndOfStderrWhenAsked) {
  ProcessOptions options;
  options.argv = {"/bin/sh", "-c",
                  "echo out; i=0; while [ $i -lt 200 ]; do echo line$i >&2; "
                  "i=$((i+1)); done; echo the-end >&2"};
  options.capture_stderr = true;
  options.stderr_excerpt_bytes = 64;
  auto outcome = run_process(options);
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_TRUE(outcome->succeeded());
  EXPECT_EQ(outcome->output, "out\n");
  EXPECT_LE(outcome->stderr_excerpt.size(), 64u);
  EXPECT_NE(outcome->stderr_excerpt.find("line199\nthe-end\n"), std::string::npos)
      << outcome->stderr_excerpt;
}

TEST_F(SubprocessTest, MissingProgramIsNotFound) {
  ProcessOptions options;
  options.argv = {m_dir + "/nothing-here"};
  auto missing = run_process(options);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
  options.argv = {"regsweep-no-such-program-on-path"};
  missing = run_process(options);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
  EXPECT_NE(missing.error().message.find("regsweep-no-such-program-on-path"), std::string::npos);
}

TEST_F(SubprocessTest, TimeoutAndTooMuchOutputKillTheGroup) {
  const auto start = std::chrono::steady_clock::now();
  ProcessOptions options;
  // The background sleep keeps stdout open: only killing the group ends the wait.
  options.argv = {"/bin/sh", "-c", "sleep 30 & sleep 30"};
  options.timeout = std::chrono::milliseconds(300);
  auto outcome = run_process(options);
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->end, ProcessEnd::timed_out);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));

  options.argv = {"/bin/sh", "-c", "yes"};
  options.timeout = std::chrono::seconds(20);
  options.max_output = 100000;
  outcome = run_process(options);
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->end, ProcessEnd::output_too_large);
  EXPECT_EQ(outcome->output.size(), 100000u);

  options.argv = {"/bin/sh", "-c", "kill -9 $$"};
  outcome = run_process(options);
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->end, ProcessEnd::signaled);
  EXPECT_EQ(outcome->signal, 9);
}

TEST(OneLineExcerpt, JoinsLinesAndKeepsTheEnd) {
  EXPECT_EQ(one_line_excerpt("a\n\nb\r\n  c\n"), "a b   c");
  EXPECT_EQ(one_line_excerpt("0123456789", 4), "...6789");
  EXPECT_EQ(one_line_excerpt(""), "");
}

}  // namespace
}  // namespace regsweep
