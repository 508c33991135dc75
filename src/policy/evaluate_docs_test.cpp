// Every worked example of the AWS "Examples of lifecycle policies" page, current and 2022 versions
// (spec §3.5 traces them), as one table: repository contents, policy, the images the docs say are
// acted on. Ages sit well away from day boundaries (spec §3.4), except where the docs place one.
#include <gtest/gtest.h>

#include "policy/evaluate.hpp"
#include "support/policy_fixtures.hpp"

namespace regsweep {
namespace {

using testing::acted_on;
using testing::image;
using testing::k_day;
using testing::k_hour;
using testing::policy_from;

std::string count_rule(int priority, const std::string& tag_part, int count) {
  return "{\"rulePriority\":" + std::to_string(priority) + ",\"description\":\"Rule " +
         std::to_string(priority) + "\",\"selection\":{" + tag_part +
         ",\"countType\":\"imageCountMoreThan\",\"countNumber\":" + std::to_string(count) +
         "},\"action\":{\"type\":\"expire\"}}";
}

std::string age_rule(int priority, const std::string& tag_part, int days) {
  return "{\"rulePriority\":" + std::to_string(priority) + ",\"description\":\"Rule " +
         std::to_string(priority) + "\",\"selection\":{" + tag_part +
         ",\"countType\":\"sinceImagePushed\",\"countUnit\":\"days\",\"countNumber\":" +
         std::to_string(days) + "},\"action\":{\"type\":\"expire\"}}";
}

std::string policy(const std::vector<std::string>& rules) {
  std::string out = "{\"rules\":[";
  for (std::size_t i = 0; i < rules.size(); ++i) out += (i ? "," : "") + rules[i];
  return out + "]}";
}

struct DocExample {
  const char* name;
  std::vector<ImageRecord> images;
  std::string policy_json;
  std::vector<std::string> expected;
};

std::vector<ImageRecord> multiple_rules_repo() {
  return {image("A", {"beta-1", "prod-1"}, 10 * k_day), image("B", {"beta-2", "prod-2"}, 9 * k_day),
          image("C", {"beta-3"}, 8 * k_day)};
}

std::vector<ImageRecord> multiple_tags_a_repo() {
  return {image("A", {"alpha-1"}, 12 * k_day),
          image("B", {"beta-1"}, 11 * k_day),
          image("C", {"alpha-2", "beta-2"}, 10 * k_day),
          image("D", {"alpha-3"}, 4 * k_day),
          image("E", {"beta-3"}, 3 * k_day),
          image("F", {"alpha-4", "beta-4"}, 2 * k_day)};
}

std::vector<ImageRecord> multiple_tags_b_repo() {
  return {image("A", {"alpha-1", "beta-1", "gamma-1"}, 10 * k_day),
          image("B", {"alpha-2", "beta-2"}, 9 * k_day),
          image("C", {"alpha-3", "beta-3", "gamma-2"}, 8 * k_day)};
}

std::vector<DocExample> doc_examples() {
  const std::string prod_prefix = "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"prod\"]";
  const std::string beta_prefix = "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"beta\"]";
  const std::string prod_pattern = "\"tagStatus\":\"tagged\",\"tagPatternList\":[\"prod*\"]";
  const std::string beta_pattern = "\"tagStatus\":\"tagged\",\"tagPatternList\":[\"beta*\"]";
  const std::string untagged = "\"tagStatus\":\"untagged\"";
  const std::string any = "\"tagStatus\":\"any\"";
  return {
      // "Filtering on image age" (2022: untagged older than 14 days; current: prod* older than 14).
      {"age_untagged_2022",
       {image("old", {}, 20 * k_day), image("young", {}, 3 * k_day),
        image("tagged", {"v1"}, 30 * k_day)},
       policy({age_rule(1, untagged, 14)}),
       {"old"}},
      {"age_prod_pattern_current",
       {image("p-old", {"prod-7"}, 20 * k_day), image("p-new", {"prod-8"}, 2 * k_day),
        image("dev-old", {"dev-1"}, 40 * k_day), image("production", {"production"}, 15 * k_day)},
       policy({age_rule(1, prod_pattern, 14)}),
       {"p-old", "production"}},
      // "Filtering on image count": keep one untagged image.
      {"count_untagged",
       {image("u1", {}, 5 * k_day), image("u2", {}, 4 * k_day), image("u3", {}, 3 * k_day),
        image("t", {"latest"}, 9 * k_day)},
       policy({count_rule(1, untagged, 1)}),
       {"u1", "u2"}},
      // "Filtering on multiple rules", Examples A and B, prefix (2022) and pattern (current) forms.
      {"multiple_rules_a_prefix",
       multiple_rules_repo(),
       policy({count_rule(1, prod_prefix, 1), count_rule(2, beta_prefix, 1)}),
       {"A"}},
      {"multiple_rules_a_pattern",
       multiple_rules_repo(),
       policy({count_rule(1, prod_pattern, 1), count_rule(2, beta_pattern, 1)}),
       {"A"}},
      {"multiple_rules_b_prefix",
       multiple_rules_repo(),
       policy({count_rule(1, beta_prefix, 1), count_rule(2, prod_prefix, 1)}),
       {"A", "B"}},
      {"multiple_rules_b_pattern",
       multiple_rules_repo(),
       policy({count_rule(1, beta_pattern, 1), count_rule(2, prod_pattern, 1)}),
       {"A", "B"}},
      // "Filtering on multiple tags in a single rule", Examples A and B.
      {"multiple_tags_a_prefix",
       multiple_tags_a_repo(),
       policy({age_rule(1, "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"alpha\",\"beta\"]", 5)}),
       {"C"}},
      {"multiple_tags_a_pattern",
       multiple_tags_a_repo(),
       policy(
           {age_rule(1, "\"tagStatus\":\"tagged\",\"tagPatternList\":[\"alpha*\",\"beta*\"]", 5)}),
       {"C"}},
      {"multiple_tags_b_prefix",
       multiple_tags_b_repo(),
       policy(
           {count_rule(1, "\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"alpha\",\"beta\"]", 1)}),
       {"A", "B"}},
      {"multiple_tags_b_pattern",
       multiple_tags_b_repo(),
       policy({count_rule(1, "\"tagStatus\":\"tagged\",\"tagPatternList\":[\"alpha*\",\"beta*\"]",
                          1)}),
       {"A", "B"}},
      // "Filtering on all images", Example A: any, keep 1.
      {"all_images_a",
       {image("A", {"alpha-1"}, 4 * k_day), image("B", {"beta-1"}, 3 * k_day),
        image("C", {}, 2 * k_day), image("D", {"alpha-2"}, 1 * k_day)},
       policy({count_rule(1, any, 1)}),
       {"A", "B", "C"}},
      // Example B: the docs give D and E both "1 day ago"; the result needs E newer and E not older
      // than one day (spec §10), so E is 23 h old and D 25 h.
      {"all_images_b",
       {image("A", {"alpha-1", "beta-1"}, 4 * k_day), image("B", {}, 3 * k_day),
        image("C", {"alpha-2"}, 2 * k_day), image("D", {"git hash"}, 25 * k_hour),
        image("E", {}, 23 * k_hour)},
       policy({count_rule(1, "\"tagStatus\":\"tagged\",\"tagPatternList\":[\"alpha*\"]", 1),
               age_rule(2, untagged, 1), count_rule(3, any, 1)}),
       {"A", "B", "D"}},
  };
}

TEST(EvaluateDocsExamples, EveryWorkedExampleGivesTheDocumentedResult) {
  for (const auto& example : doc_examples()) {
    SCOPED_TRACE(example.name);
    EXPECT_EQ(acted_on(example.images, policy_from(example.policy_json)), example.expected);
  }
}

TEST(EvaluateDocsExamples, ResultsDoNotDependOnImageOrder) {
  for (auto example : doc_examples()) {
    SCOPED_TRACE(example.name);
    std::reverse(example.images.begin(), example.images.end());
    auto got = acted_on(example.images, policy_from(example.policy_json));
    std::sort(got.begin(), got.end());
    auto expected = example.expected;
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(got, expected);
  }
}

// "Combining archive and expire rules": transition standard images older than 30 days; expire
// images archived for more than 365 days. Standard and archive rules do not see each other.
TEST(EvaluateDocsExamples, CombiningArchiveAndExpireRules) {
  const auto p = policy_from(R"({"rules":[
    {"rulePriority":1,"description":"Archive images older than 30 days","selection":{"tagStatus":"any",
     "countType":"sinceImagePushed","countUnit":"days","countNumber":30},
     "action":{"type":"transition","targetStorageClass":"archive"}},
    {"rulePriority":2,"description":"Expire images archived for more than 365 days","selection":{
     "tagStatus":"any","storageClass":"archive","countType":"sinceImageTransitioned","countUnit":"days",
     "countNumber":365},"action":{"type":"expire"}}]})");
  auto fresh = image("fresh", {"v3"}, 5 * k_day);
  auto stale = image("stale", {"v2"}, 60 * k_day);
  auto archived_long = image("archived-long", {"v0"}, 900 * k_day);
  archived_long.status = ImageStatus::archived;
  archived_long.last_archived_at = testing::k_test_now - 400 * k_day;
  auto archived_recent = image("archived-recent", {"v1"}, 500 * k_day);
  archived_recent.status = ImageStatus::archived;
  archived_recent.last_archived_at = testing::k_test_now - 100 * k_day;
  const std::vector<ImageRecord> images{fresh, stale, archived_long, archived_recent};
  const auto verdicts = evaluate_policy(p, images, testing::k_test_now);
  EXPECT_EQ(verdicts[0].action, VerdictAction::keep);
  EXPECT_EQ(verdicts[1].action, VerdictAction::transition);
  EXPECT_EQ(verdicts[1].applied_rule_priority(), 1);
  EXPECT_EQ(verdicts[2].action, VerdictAction::expire);
  EXPECT_EQ(verdicts[2].applied_rule_priority(), 2);
  EXPECT_EQ(verdicts[3].action, VerdictAction::keep);
}

}  // namespace
}  // namespace regsweep
