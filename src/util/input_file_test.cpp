#include "util/input_file.hpp"
#include "util/utf8.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace regsweep {
namespace {

namespace fs = std::filesystem;

class InputFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/input-file-test-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    m_dir = pattern;
  }
  void TearDown() override { fs::remove_all(m_dir); }

  std::string write(const std::string& name, const std::string& text) {
    const std::string path = m_dir + "/" + name;
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  std::string m_dir;
};

TEST_F(InputFileTest, ReadsARegularFileWhole) {
  const auto path = write("p.json", "{\"rules\": []}\n");
  auto text = read_input_file("--policy", path, k_policy_max_bytes);
  ASSERT_TRUE(text.ok()) << text.error().message;
  EXPECT_EQ(*text, "{\"rules\": []}\n");
}

// The defect of issue 11: a directory read through a stream reads nothing and reports nothing.
TEST_F(InputFileTest, ADirectoryIsRefusedNamingTheFlag) {
  auto text = read_input_file("--policy", m_dir, k_policy_max_bytes);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(text.error().message, "--policy " + m_dir + ": is a directory; name a file");
}

TEST_F(InputFileTest, DevicesAndFifosAreRefusedWithoutBlocking) {
  auto zero = read_input_file("--keep-file", "/dev/zero", k_list_max_bytes);
  ASSERT_FALSE(zero.ok());
  EXPECT_NE(zero.error().message.find("--keep-file /dev/zero: is a character device"),
            std::string::npos)
      << zero.error().message;
  const std::string fifo = m_dir + "/fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto piped = read_input_file("--in-use", fifo, k_list_max_bytes);  // no writer: must not block
  ASSERT_FALSE(piped.ok());
  EXPECT_NE(piped.error().message.find("is a FIFO (named pipe), not a regular file"),
            std::string::npos)
      << piped.error().message;
}

TEST_F(InputFileTest, MissingFilesAndDanglingLinksNameThePath) {
  auto missing = read_input_file("--policy", m_dir + "/nope.json", k_policy_max_bytes);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message,
            "--policy " + m_dir + "/nope.json: no such file; check the path");
  const std::string link = m_dir + "/dangling";
  ASSERT_EQ(::symlink((m_dir + "/absent").c_str(), link.c_str()), 0);
  auto dangling = read_input_file("--keep-file", link, k_list_max_bytes);
  ASSERT_FALSE(dangling.ok());
  EXPECT_NE(dangling.error().message.find("no such file"), std::string::npos);
}

TEST_F(InputFileTest, ASymlinkToAFileIsFollowed) {
  const auto target = write("real.txt", "app:v1\n");
  const std::string link = m_dir + "/link.txt";
  ASSERT_EQ(::symlink(target.c_str(), link.c_str()), 0);
  auto text = read_input_file("--keep-file", link, k_list_max_bytes);
  ASSERT_TRUE(text.ok()) << text.error().message;
  EXPECT_EQ(*text, "app:v1\n");
}

TEST_F(InputFileTest, MoreThanTheCapIsRefused) {
  const auto path = write("big.json", std::string(1000, ' '));
  auto text = read_input_file("--policy", path, 999);
  ASSERT_FALSE(text.ok());
  EXPECT_NE(text.error().message.find(": larger than 999 B, the most an input of this kind may be"),
            std::string::npos)
      << text.error().message;
  EXPECT_TRUE(read_input_file("--policy", path, 1000).ok());
}

TEST_F(InputFileTest, InvalidUtf8IsRefusedWithItsPosition) {
  const auto path = write("p.json", "{\n  \"description\": \"caf\xe9\"\n}\n");
  auto text = read_input_file("--policy", path, k_policy_max_bytes);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().message, "--policy " + path +
                                      ": line 2, column 22: not valid UTF-8 (byte 0xe9); save the "
                                      "file as UTF-8");
}

// The journal's reader checks each line itself: a line torn mid-character must not hide the rest.
TEST_F(InputFileTest, ReadInputBytesSkipsOnlyTheUtf8Check) {
  const auto path = write("journal.jsonl", "{\"a\":1}\n{\"b\":\"caf\xc3");
  auto bytes = read_input_bytes("--journal", path, k_list_max_bytes);
  ASSERT_TRUE(bytes.ok()) << bytes.error().message;
  EXPECT_EQ(*bytes, "{\"a\":1}\n{\"b\":\"caf\xc3");
  EXPECT_FALSE(read_input_file("--journal", path, k_list_max_bytes).ok());
  auto dir = read_input_bytes("--journal", m_dir, k_list_max_bytes);
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.error().message, "--journal " + m_dir + ": is a directory; name a file");
  EXPECT_FALSE(read_input_bytes("--journal", path, 5).ok());
}

TEST(InvalidUtf8At, AcceptsValidTextAndFindsTheFirstBadByte) {
  EXPECT_EQ(invalid_utf8_at("plain ascii"), std::nullopt);
  EXPECT_EQ(invalid_utf8_at("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb3"), std::nullopt);
  EXPECT_EQ(invalid_utf8_at("ab\xff"), 2u);
  EXPECT_EQ(invalid_utf8_at("a\xc3"), 1u);             // truncated
  EXPECT_EQ(invalid_utf8_at("\xc0\xaf"), 0u);          // overlong '/'
  EXPECT_EQ(invalid_utf8_at("\xe0\x80\xaf"), 0u);      // overlong
  EXPECT_EQ(invalid_utf8_at("\xed\xa0\x80"), 0u);      // a surrogate
  EXPECT_EQ(invalid_utf8_at("\xf4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(invalid_utf8_at("ok\xe2\x82"), 2u);        // truncated at the end
  EXPECT_EQ(invalid_utf8_at("x\xe2\x28\xa1"), 1u);     // bad continuation
}

// A Kubernetes ConfigMap mounted as a directory: its keys are links into a "..data" directory.
TEST_F(InputFileTest, ADirectoryIsReadAsItsFilesLikeAMountedConfigMap) {
  write("cm/..2026_12_01/keep.txt", "app:v1\n");
  write("cm/..2026_12_01/more.txt", "app:v2\n");
  ASSERT_EQ(::symlink("..2026_12_01", (m_dir + "/cm/..data").c_str()), 0);
  ASSERT_EQ(::symlink("..data/keep.txt", (m_dir + "/cm/keep.txt").c_str()), 0);
  ASSERT_EQ(::symlink("..data/more.txt", (m_dir + "/cm/more.txt").c_str()), 0);
  auto files = read_input_files("--keep-file", m_dir + "/cm", k_list_max_bytes);
  ASSERT_TRUE(files.ok()) << files.error().message;
  ASSERT_EQ(files->size(), 2u);
  EXPECT_EQ((*files)[0].path, m_dir + "/cm/keep.txt");
  EXPECT_EQ((*files)[0].text, "app:v1\n");
  EXPECT_EQ((*files)[1].text, "app:v2\n");
}

TEST_F(InputFileTest, AnEmptyDirectoryOrOneWithASubdirectoryIsRefused) {
  fs::create_directories(m_dir + "/empty");
  auto empty = read_input_files("--keep-file", m_dir + "/empty", k_list_max_bytes);
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().message.find("a directory with no files in it"), std::string::npos);
  write("mixed/keep.txt", "app:v1\n");
  fs::create_directories(m_dir + "/mixed/nested");
  auto mixed = read_input_files("--keep-file", m_dir + "/mixed", k_list_max_bytes);
  ASSERT_FALSE(mixed.ok());
  EXPECT_NE(mixed.error().message.find("mixed/nested: is a directory"), std::string::npos)
      << mixed.error().message;
}

}  // namespace
}  // namespace regsweep
