// Each protection and guard of issue 6 on the pure planner pass, one test each.
#include "plan/protect.hpp"

#include <gtest/gtest.h>

#include "policy/evaluate.hpp"
#include "support/policy_fixtures.hpp"

namespace regsweep {
namespace {

using testing::image;
using testing::k_day;
using testing::k_hour;
using testing::k_test_now;

const char* k_expire_all_untagged_and_old = R"({"rules":[
  {"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":1},"action":{"type":"expire"}},
  {"rulePriority":2,"selection":{"tagStatus":"any","countType":"sinceImagePushed","countUnit":"days","countNumber":30},"action":{"type":"expire"}}]})";

struct Outcome {
  std::vector<Verdict> verdicts;
  std::vector<Protection> protections;
  std::vector<std::string> deleted;  // names of images still acted on
};

Outcome run(const std::vector<ImageRecord>& images, ProtectionOptions options = {}) {
  const auto policy = testing::policy_from(k_expire_all_untagged_and_old);
  Outcome out;
  out.verdicts = evaluate_policy(policy, images, k_test_now);
  if (options.now == 0) options.now = k_test_now;
  out.protections = protect_repository(images, out.verdicts, options);
  for (std::size_t i = 0; i < images.size(); ++i) {
    if (out.verdicts[i].action != VerdictAction::keep)
      out.deleted.push_back(images[i].digest.substr(7));
  }
  return out;
}

const Protection* protection_of(const Outcome& o, std::uint32_t image) {
  for (const auto& p : o.protections) {
    if (p.image == image) return &p;
  }
  static const Protection none{UINT32_MAX, ProtectionKind::in_use, "NO PROTECTION RECORDED"};
  ADD_FAILURE() << "no protection recorded for image " << image;
  return &none;
}

using Names = std::vector<std::string>;

TEST(Protect, InUseDigestIsKeptAndTheSourceNamed) {
  const std::unordered_map<std::string, std::string> in_use = {
      {"sha256:pinned", "k8s cronjob ops/backup"}};
  ProtectionOptions options;
  options.in_use = &in_use;
  const auto o = run({image("pinned", {}, 90 * k_day), image("stale", {}, 90 * k_day),
                      image("keep", {"v9"}, k_day)},
                     options);
  EXPECT_EQ(o.deleted, Names{"stale"});
  ASSERT_NE(protection_of(o, 0), nullptr);
  EXPECT_EQ(explain_protection(*protection_of(o, 0)), "keep: in use (k8s cronjob ops/backup)");
}

TEST(Protect, MinAgeKeepsFreshUntaggedImages) {
  ProtectionOptions options;
  options.min_age = 36 * k_hour;
  const auto o = run({image("fresh", {}, 30 * k_hour), image("older", {}, 40 * k_hour),
                      image("t", {"v1"}, k_hour)},
                     options);
  EXPECT_EQ(o.deleted, Names{"older"});
  EXPECT_EQ(protection_of(o, 0)->kind, ProtectionKind::younger_than_min_age);
}

// Issue 11: `apply --now 9999-12-31` deleted an untagged image pushed a minute earlier: min-age
// measured against --now. With the real clock given, a later evaluation time can only add keeps.
TEST(Protect, AnEvaluationTimeInTheFutureNeverMakesAFreshImageOld) {
  const auto policy = testing::policy_from(k_expire_all_untagged_and_old);
  const std::vector<ImageRecord> images = {image("fresh", {}, k_hour / 60),
                                           image("old", {}, 40 * k_day)};
  const EpochMillis later = k_test_now + 365 * k_day;
  ProtectionOptions options;
  options.now = later;
  options.allow_empty = true;  // two images: the empty-repository guard is not what is tested
  auto verdicts = evaluate_policy(policy, images, later);
  ASSERT_EQ(verdicts[0].action, VerdictAction::expire) << "the policy alone expires it";
  auto without_clock = verdicts;
  protect_repository(images, without_clock, options);
  EXPECT_EQ(without_clock[0].action, VerdictAction::expire) << "the defect, without the clock";
  options.clock = k_test_now;
  const auto protections = protect_repository(images, verdicts, options);
  EXPECT_EQ(verdicts[0].action, VerdictAction::keep);
  EXPECT_EQ(verdicts[1].action, VerdictAction::expire);
  ASSERT_EQ(protections.size(), 1u);
  EXPECT_EQ(protections[0].kind, ProtectionKind::younger_than_min_age);
}

// And an evaluation time in the past keeps what was pushed after it (unknown then) as before.
TEST(Protect, AnEvaluationTimeInThePastStillKeepsWhatCameAfterIt) {
  const auto policy = testing::policy_from(k_expire_all_untagged_and_old);
  const std::vector<ImageRecord> images = {image("after", {}, 2 * k_day)};
  const EpochMillis earlier = k_test_now - 10 * k_day;
  auto verdicts = evaluate_policy(policy, images, k_test_now);
  ProtectionOptions options;
  options.now = earlier;
  options.clock = k_test_now;
  const auto protections = protect_repository(images, verdicts, options);
  EXPECT_EQ(verdicts[0].action, VerdictAction::keep);
  ASSERT_EQ(protections.size(), 1u);
  EXPECT_EQ(protections[0].kind, ProtectionKind::unknown_timestamp);
}

TEST(Protect, FutureAndPre2000TimestampsAreUnknownAndKept) {
  auto future = image("future", {}, -3 * k_day);
  auto ancient = image("ancient", {}, 0);
  ancient.pushed_at = 0;  // 1970: a missing field read as zero
  const auto o = run({future, ancient, image("old", {}, 40 * k_day), image("t", {"v"}, k_hour)});
  EXPECT_EQ(o.deleted, Names{"old"});
  EXPECT_EQ(protection_of(o, 1)->kind, ProtectionKind::unknown_timestamp);
}

TEST(Protect, ChildrenOfAKeptIndexAreKept) {
  // The index is in use, so it stays; its children (which the engine let go with it) stay too.
  auto index = image("index", {"v1"}, 60 * k_day);
  index.child_digests = {"sha256:amd64", "sha256:arm64"};
  const std::unordered_map<std::string, std::string> in_use = {{"sha256:index", "ecs service web"}};
  ProtectionOptions options;
  options.in_use = &in_use;
  const auto o = run({index, image("amd64", {}, 60 * k_day), image("arm64", {}, 60 * k_day),
                      image("other", {"x"}, k_hour)},
                     options);
  EXPECT_TRUE(o.deleted.empty()) << ::testing::PrintToString(o.deleted);
  EXPECT_EQ(protection_of(o, 1)->kind, ProtectionKind::child_of_kept_index);
}

TEST(Protect, AnExpiringIndexTakesItsUntaggedChildrenUnlessSomethingElseKeepsThem) {
  auto old_index = image("old-index", {"v1"}, 60 * k_day);
  old_index.child_digests = {"sha256:shared", "sha256:only-old", "sha256:young-child"};
  auto new_index = image("new-index", {"v2"}, 2 * k_day);
  new_index.child_digests = {"sha256:shared"};
  ProtectionOptions options;
  options.min_age = 12 * k_hour;
  const auto o = run({old_index, new_index, image("shared", {}, 60 * k_day),
                      image("only-old", {}, 60 * k_day), image("young-child", {}, 6 * k_hour)},
                     options);
  EXPECT_EQ(o.deleted, (Names{"old-index", "only-old"}));
}

TEST(Protect, ChildrenNotMarkedByAnyRuleStillGoWithTheirIndex) {
  // A keep-count rule keeps untagged children; the index expiring takes them anyway.
  const auto policy = testing::policy_from(R"({"rules":[
    {"rulePriority":1,"selection":{"tagStatus":"tagged","tagPatternList":["v*"],"countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}},
    {"rulePriority":2,"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":10},"action":{"type":"expire"}}]})");
  auto old_index = image("old-index", {"v1"}, 60 * k_day);
  old_index.child_digests = {"sha256:c1"};
  const std::vector<ImageRecord> images{old_index, image("new", {"v2"}, 2 * k_day),
                                        image("c1", {}, 60 * k_day)};
  auto verdicts = evaluate_policy(policy, images, k_test_now);
  ProtectionOptions options;
  options.now = k_test_now;
  const auto protections = protect_repository(images, verdicts, options);
  EXPECT_EQ(verdicts[2].action, VerdictAction::expire);
  EXPECT_EQ(verdicts[2].rule_priority, 1);
  ASSERT_EQ(protections.size(), 1u);
  EXPECT_EQ(protections[0].kind, ProtectionKind::child_of_expiring_index);
}

TEST(Protect, ReferrersStayWithAKeptSubjectAndGoWithARemovedOne) {
  auto sig_kept =
      image("sig-kept", {}, 90 * k_day);  // old and untagged: the engine would expire it
  sig_kept.subject_digest = "sha256:current";
  auto sig_gone =
      image("sig-gone", {"sha256-old.sig"}, 5 * k_day);  // young and tagged: engine keeps
  sig_gone.subject_digest = "sha256:old";
  const auto o = run(
      {image("current", {"v2"}, 90 * k_hour), sig_kept, image("old", {}, 90 * k_day), sig_gone});
  EXPECT_EQ(o.deleted, (Names{"old", "sig-gone"}));
  EXPECT_EQ(protection_of(o, 1)->kind, ProtectionKind::referrer_of_kept_subject);
  EXPECT_EQ(o.verdicts[3].reason, VerdictReason::follows_subject);  // the engine's R11 already
}

TEST(Protect, NeverEmptiesARepositoryWithoutAllowEmpty) {
  const std::vector<ImageRecord> images{image("a", {}, 90 * k_day), image("b", {"v1"}, 90 * k_day)};
  const auto guarded = run(images);
  EXPECT_TRUE(guarded.deleted.empty());
  EXPECT_EQ(guarded.protections[0].kind, ProtectionKind::repository_would_be_emptied);
  ProtectionOptions allow;
  allow.allow_empty = true;
  EXPECT_EQ(run(images, allow).deleted, (Names{"a", "b"}));
}

TEST(Protect, MaxDeleteAndPercentLeaveTheRepositoryAloneWhole) {
  std::vector<ImageRecord> images;
  for (int i = 0; i < 6; ++i) images.push_back(image("old" + std::to_string(i), {}, 90 * k_day));
  for (int i = 0; i < 4; ++i)
    images.push_back(image("new" + std::to_string(i), {"v" + std::to_string(i)}, k_day));
  ProtectionOptions count;
  count.max_delete = 5;
  EXPECT_TRUE(run(images, count).deleted.empty());
  count.max_delete = 6;
  EXPECT_EQ(run(images, count).deleted.size(), 6u);
  ProtectionOptions percent;
  percent.max_delete_percent = 50;
  const auto o = run(images, percent);
  EXPECT_TRUE(o.deleted.empty());
  EXPECT_EQ(o.protections[0].kind, ProtectionKind::delete_limit);
  percent.max_delete_percent = 60;
  EXPECT_EQ(run(images, percent).deleted.size(), 6u);
}

}  // namespace
}  // namespace regsweep
