#include "policy/explain.hpp"

#include <gtest/gtest.h>

#include "support/policy_fixtures.hpp"

namespace regsweep {
namespace {

using testing::image;
using testing::k_day;
using testing::k_test_now;

TEST(Explain, SaysWhichRuleAndWhereTheImageStands) {
  const auto p = testing::policy_from(R"({"rules":[
    {"rulePriority":2,"selection":{"tagStatus":"tagged","tagPatternList":["prod*"],"countType":"imageCountMoreThan","countNumber":5},"action":{"type":"expire"}},
    {"rulePriority":3,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}]})");
  std::vector<ImageRecord> images;
  for (int i = 0; i < 8; ++i)
    images.push_back(
        image("p" + std::to_string(i), {"prod-" + std::to_string(i)}, (i + 1) * k_day));
  images.push_back(image("u", {}, 20 * k_day));
  images.push_back(image("none", {"dev"}, 20 * k_day));
  const auto verdicts = evaluate_policy(p, images, k_test_now);
  EXPECT_EQ(explain(verdicts[7], p, k_test_now),
            "expire: rule 2 keeps the 5 newest images tagged prod*; this is the 8th");
  EXPECT_EQ(explain(verdicts[0], p, k_test_now),
            "keep: rule 2 keeps the 5 newest images tagged prod*; this is the 1st");
  EXPECT_EQ(explain(verdicts[8], p, k_test_now),
            "expire: rule 3 expires untagged images pushed more than 14 days ago; this one was "
            "pushed 20 days ago");
  EXPECT_EQ(explain(verdicts[9], p, k_test_now), "keep: no rule selects this image");
}

TEST(Explain, NamesTheShadowedRule) {
  const auto p = testing::policy_from(R"({"rules":[
    {"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixList":["release"],"countType":"imageCountMoreThan","countNumber":50},"action":{"type":"expire"}},
    {"rulePriority":9,"selection":{"tagStatus":"any","countType":"sinceImagePushed","countUnit":"days","countNumber":30},"action":{"type":"expire"}}]})");
  const auto verdicts = evaluate_policy(
      p, std::vector<ImageRecord>{image("r", {"release-1"}, 100 * k_day)}, k_test_now);
  EXPECT_EQ(explain(verdicts[0], p, k_test_now),
            "keep: rule 1 keeps the 50 newest images tagged release*; this is the 1st (rule 9 "
            "would act on it, but "
            "rule 1 selected it first)");
}

// The Explainer (used for a million images) must say exactly what explain() says, for every
// reason, rule, rank (ordinal suffixes 1st..113th), age and shadowed rule.
TEST(Explain, ExplainerAgreesWithExplainOnEveryReason) {
  const auto p = testing::policy_from(R"({"rules":[
    {"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixList":["release","v"],"countType":"imageCountMoreThan","countNumber":50},"action":{"type":"expire"}},
    {"rulePriority":4,"selection":{"tagStatus":"tagged","tagPatternList":["prod-*"],"countType":"sinceImagePulled","countUnit":"days","countNumber":30},"action":{"type":"transition","targetStorageClass":"archive"}},
    {"rulePriority":7,"selection":{"tagStatus":"untagged","storageClass":"archive","countType":"sinceImageTransitioned","countUnit":"days","countNumber":90},"action":{"type":"expire"}},
    {"rulePriority":9,"selection":{"tagStatus":"any","countType":"sinceImagePushed","countUnit":"days","countNumber":30},"action":{"type":"transition","targetStorageClass":"archive"}}]})");
  Explainer explainer(p, k_test_now);
  const std::vector<std::optional<std::int64_t>> priorities = {std::nullopt, 1, 4, 7, 9, 42};
  const std::vector<EpochMillis> references = {k_test_now,
                                               k_test_now - k_day / 2,
                                               k_test_now - 3 * k_day / 2,
                                               k_test_now - 5 * k_day / 2,
                                               k_test_now - 400 * k_day - 1,
                                               k_test_now + k_day};
  int compared = 0;
  for (int reason = 0; reason <= static_cast<int>(VerdictReason::follows_subject); ++reason) {
    for (const auto action :
         {VerdictAction::keep, VerdictAction::expire, VerdictAction::transition}) {
      for (const auto& priority : priorities) {
        for (const auto& shadowed : priorities) {
          for (std::uint32_t rank :
               {1u, 2u, 3u, 4u, 11u, 12u, 13u, 21u, 22u, 23u, 101u, 111u, 112u, 113u}) {
            for (const EpochMillis reference : references) {
              Verdict v;
              v.reason = static_cast<VerdictReason>(reason);
              v.action = action;
              v.rule_priority = priority;
              v.shadowed_rule_priority = shadowed;
              v.rank = rank;
              v.reference_time = reference;
              ASSERT_EQ(explainer(v), explain(v, p, k_test_now));
              ++compared;
            }
          }
        }
      }
    }
  }
  EXPECT_GT(compared, 10000);
}

}  // namespace
}  // namespace regsweep
