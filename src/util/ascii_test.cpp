#include "util/ascii.hpp"

#include <gtest/gtest.h>

namespace regsweep {
namespace {

TEST(AsciiLower, FoldsOnlyAToZ) {
  EXPECT_EQ(ascii_lower("X-Amz-Security-Token"), "x-amz-security-token");
  EXPECT_EQ(ascii_lower("@[`{"), "@[`{");  // the neighbours of A-Z and a-z stay
  // UTF-8 bytes are never changed (std::tolower under a Latin-1 locale would change \xC9).
  EXPECT_EQ(ascii_lower("\xC3\x89t\xC3\xA9"), "\xC3\x89t\xC3\xA9");
  EXPECT_EQ(ascii_lower(""), "");
}

TEST(AsciiIequals, IgnoresOnlyTheCaseOfLetters) {
  EXPECT_TRUE(ascii_iequals("Docker.IO", "docker.io"));
  EXPECT_FALSE(ascii_iequals("docker.io", "docker.io "));
  EXPECT_FALSE(ascii_iequals("a", "A\x01"));
  EXPECT_FALSE(ascii_iequals("@", "`"));  // 0x40 and 0x60 differ by 32 but are not letters
  EXPECT_TRUE(ascii_iequals("", ""));
}

}  // namespace
}  // namespace regsweep
