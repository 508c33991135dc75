#include "util/glob.hpp"

#include <gtest/gtest.h>

namespace regsweep {
namespace {

TEST(GlobMatch, StarMatchesEmptyAndIsAnchored) {
  EXPECT_TRUE(glob_match("prod*", "prod"));
  EXPECT_TRUE(glob_match("prod*", "production-team1"));
  EXPECT_FALSE(glob_match("prod*", "repo-production"));
  EXPECT_TRUE(glob_match("*prod*", "repo-production"));
  EXPECT_TRUE(glob_match("latest", "latest"));
  EXPECT_FALSE(glob_match("latest", "latest1"));
  EXPECT_TRUE(glob_match("*test*1*2*3", "xtest-1-2-3"));
  EXPECT_FALSE(glob_match("*test*1*2*3", "xtest-1-2-3x"));
  EXPECT_TRUE(glob_match("*", ""));
}

TEST(GlobMatch, QuestionMarkIsLiteralUnlessAsked) {
  EXPECT_FALSE(glob_match("a?c", "abc"));
  EXPECT_TRUE(glob_match("a?c", "a?c"));
  EXPECT_TRUE(glob_match("a?c", "abc", GlobSyntax::star_and_question));
}

}  // namespace
}  // namespace regsweep
