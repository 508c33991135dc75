#include "policy/diff.hpp"

#include <gtest/gtest.h>

#include "support/policy_fixtures.hpp"

namespace regsweep {
namespace {

using testing::policy_from;

const char* k_base = R"({"rules":[
  {"rulePriority":1,"description":"prod","selection":{"tagStatus":"tagged","tagPatternList":["prod*","*-eu"],"countType":"imageCountMoreThan","countNumber":10},"action":{"type":"expire"}},
  {"rulePriority":2,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}]})";

TEST(DiffPolicies, RuleOrderFormattingAndListOrderDoNotCount) {
  const auto reordered = policy_from(R"({ "rules" : [
    {"action":{"type":"expire"},"selection":{"countNumber":14,"countUnit":"days","countType":"sinceImagePushed","tagStatus":"untagged"},"rulePriority":2},
    {"rulePriority":1,"description":"prod","selection":{"tagStatus":"tagged","tagPatternList":["*-eu","prod*"],"countType":"imageCountMoreThan","countNumber":10},"action":{"type":"expire"}}]})");
  const auto diff = diff_policies(policy_from(k_base), reordered);
  EXPECT_EQ(diff.change, PolicyChange::unchanged);
  EXPECT_TRUE(diff.lines.empty());
}

TEST(DiffPolicies, NoCurrentPolicyIsACreate) {
  const auto diff = diff_policies(std::nullopt, policy_from(k_base));
  EXPECT_EQ(diff.change, PolicyChange::create);
  ASSERT_EQ(diff.lines.size(), 2u);
  EXPECT_EQ(diff.lines[1], "+ rule 2: expire untagged images pushed more than 14 days ago");
}

TEST(DiffPolicies, ChangedRemovedAndAddedRulesAreListed) {
  const auto wanted = policy_from(R"({"rules":[
    {"rulePriority":1,"description":"prod","selection":{"tagStatus":"tagged","tagPatternList":["prod*","*-eu"],"countType":"imageCountMoreThan","countNumber":20},"action":{"type":"expire"}},
    {"rulePriority":3,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":500},"action":{"type":"expire"}}]})");
  const auto diff = diff_policies(policy_from(k_base), wanted);
  EXPECT_EQ(diff.change, PolicyChange::update);
  EXPECT_EQ(diff.lines,
            (std::vector<std::string>{
                "- rule 1: expire images tagged prod* and *-eu beyond the 10 newest (\"prod\")",
                "+ rule 1: expire images tagged prod* and *-eu beyond the 20 newest (\"prod\")",
                "- rule 2: expire untagged images pushed more than 14 days ago",
                "+ rule 3: expire images beyond the 500 newest",
            }));
}

TEST(DiffPolicies, DescriptionChangeIsAnUpdate) {
  auto changed = policy_from(k_base);
  changed.rules[1].description = "untagged cleanup";
  EXPECT_EQ(diff_policies(policy_from(k_base), changed).change, PolicyChange::update);
}

}  // namespace
}  // namespace regsweep
