#include <gtest/gtest.h>

#include <chrono>

#include "inuse/source.hpp"

namespace regsweep {
namespace {

const std::string k_digest = "sha256:" + std::string(64, 'c');

TEST(KeepFile, ReferencesTagsDigestsCommentsAndBlankLines) {
  const std::string text =
      "# images we never delete\n"
      "\n"
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api:v1   # the release\n"
      "  release-2024  \r\n" +
      k_digest + "\n" + "team/web:stable";
  auto set = parse_keep_file(text, "keep.txt");
  ASSERT_TRUE(set.ok()) << set.error().message;
  ASSERT_EQ(set->entries.size(), 4u);
  EXPECT_EQ(set->entries[0].source, "keep-file keep.txt:3");
  EXPECT_EQ(set->entries[0].reference.repository, "team/api");
  EXPECT_EQ(set->entries[1].source, "keep-file keep.txt:4");
  EXPECT_TRUE(set->entries[1].reference.bare());
  EXPECT_EQ(set->entries[1].reference.tag, "release-2024");
  EXPECT_TRUE(set->entries[2].reference.bare());
  EXPECT_EQ(set->entries[2].reference.digest, k_digest);
  EXPECT_EQ(set->entries[3].raw, "team/web:stable");
  EXPECT_EQ(set->entries[3].source, "keep-file keep.txt:6");
}

TEST(KeepFile, AnyBadLineFailsNamingFileAndLine) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"ok:1\nBad Line\n", "keep-file k.txt:2: more than one word"},
      {"ok:1\n\nUPPER/x\n", "keep-file k.txt:3: image reference 'UPPER/x': "},
      {"app@sha256:123\n", "keep-file k.txt:1: image reference 'app@sha256:123': the digest"},
  };
  for (const auto& [text, prefix] : cases) {
    auto set = parse_keep_file(text, "k.txt");
    ASSERT_FALSE(set.ok()) << text;
    EXPECT_EQ(set.error().code, ErrorCode::invalid_input);
    EXPECT_TRUE(set.error().message.starts_with(prefix)) << set.error().message;
  }
  auto empty = parse_keep_file("# nothing\n\n", "k.txt");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->entries.empty());
}

TEST(InUseCommandOutput, JsonArrayOfStringsOnly) {
  auto set =
      parse_in_use_command_output(R"(["app:1", "quay.io/x/y@)" + k_digest + R"("])", "list.sh");
  ASSERT_TRUE(set.ok()) << set.error().message;
  ASSERT_EQ(set->entries.size(), 2u);
  EXPECT_EQ(set->entries[1].source, "in-use command 'list.sh' item 1");
  for (const std::string bad : {"", "{}", "[1]", "[\"Not A Ref\"]", "[\"app:1\"", "\"app:1\""}) {
    auto result = parse_in_use_command_output(bad, "list.sh");
    ASSERT_FALSE(result.ok()) << bad;
    EXPECT_EQ(result.error().code, ErrorCode::invalid_input);
  }
  // A bare word from a program is a repository ("nginx" = nginx:latest), not a keep-file tag.
  auto word = parse_in_use_command_output(R"(["nginx"])", "c");
  ASSERT_TRUE(word.ok());
  EXPECT_EQ(word->entries[0].reference.repository, "library/nginx");
}

TEST(InUseCommand, RunsThroughShellAndParsesStdout) {
  auto source = make_command_source(R"(printf '["app:1",' ; echo '"app:2"]'; echo ignored >&2)",
                                    std::chrono::seconds(10));
  auto set = source->collect();
  ASSERT_TRUE(set.ok()) << set.error().message;
  ASSERT_EQ(set->entries.size(), 2u);
  EXPECT_EQ(set->entries[1].raw, "app:2");
}

TEST(InUseCommand, FailsClosed) {
  struct Case {
    std::string command;
    std::string message_part;
  };
  const Case cases[] = {
      {"echo '[\"app:1\"]'; exit 3", "exited with status 3"},
      {"echo 'not json'", "output is not JSON"},
      {"kill -9 $$", "killed by signal 9"},
      {"/nonexistent/program", "exited with status 127"},
  };
  for (const auto& c : cases) {
    auto set = make_command_source(c.command, std::chrono::seconds(10))->collect();
    ASSERT_FALSE(set.ok()) << c.command;
    EXPECT_NE(set.error().message.find(c.message_part), std::string::npos) << set.error().message;
  }
}

TEST(InUseCommand, TimeoutKillsTheWholeProcessGroup) {
  const auto start = std::chrono::steady_clock::now();
  // The background sleep keeps stdout open: only killing the group ends the wait.
  auto set = make_command_source("sleep 30 & sleep 30", std::chrono::milliseconds(300))->collect();
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.error().code, ErrorCode::transient);
  EXPECT_NE(set.error().message.find("timed out after 300 ms"), std::string::npos)
      << set.error().message;
  EXPECT_LT(elapsed, std::chrono::seconds(10));
}

}  // namespace
}  // namespace regsweep
