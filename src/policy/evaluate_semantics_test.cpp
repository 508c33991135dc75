// The subtle points of the spec (§11 pitfalls and the [UNCONFIRMED] choices), each pinned by its
// own test so a change of mind is a visible, deliberate edit.
#include <gtest/gtest.h>

#include "policy/evaluate.hpp"
#include "support/policy_fixtures.hpp"

namespace regsweep {
namespace {

using testing::acted_on;
using testing::image;
using testing::k_day;
using testing::k_test_now;
using testing::policy_from;

using Names = std::vector<std::string>;

// Pitfall 1: images protected by higher rules still fill the N newest slots of a count rule.
TEST(EvaluateSemantics, ProtectedImagesStillCountTowardImageCountMoreThan) {
  const auto p = policy_from(R"({"rules":[
    {"rulePriority":1,"selection":{"tagStatus":"tagged","tagPatternList":["release*"],"countType":"imageCountMoreThan","countNumber":10},"action":{"type":"expire"}},
    {"rulePriority":2,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":2},"action":{"type":"expire"}}]})");
  // The two newest are releases (protected by rule 1); rule 2 keeps 2, so "old" is 3rd: expired.
  EXPECT_EQ(acted_on({image("old", {"dev"}, 3 * k_day), image("r1", {"release-1"}, 2 * k_day),
                      image("r2", {"release-2"}, 1 * k_day)},
                     p),
            Names{"old"});
}

// Pitfall 2: protection comes from a higher rule's selection, not from what it expired.
TEST(EvaluateSemantics, ImageKeptByAHigherRuleIsNotActedOnByALowerOne) {
  const auto p = policy_from(R"({"rules":[
    {"rulePriority":1,"selection":{"tagStatus":"tagged","tagPatternList":["prod*"],"countType":"imageCountMoreThan","countNumber":5},"action":{"type":"expire"}},
    {"rulePriority":2,"selection":{"tagStatus":"any","countType":"sinceImagePushed","countUnit":"days","countNumber":30},"action":{"type":"expire"}}]})");
  const std::vector<ImageRecord> images{image("prod-old", {"prod-1"}, 400 * k_day),
                                        image("dev-old", {"dev-1"}, 400 * k_day)};
  EXPECT_EQ(acted_on(images, p), Names{"dev-old"});
  const auto verdicts = evaluate_policy(p, images, k_test_now);
  EXPECT_EQ(verdicts[0].reason, VerdictReason::within_count);
  EXPECT_EQ(verdicts[0].rule_priority, 1);
  EXPECT_EQ(verdicts[0].shadowed_rule_priority, 2);
}

// Pitfall 3: standard-class rules neither count nor protect archived images.
TEST(EvaluateSemantics, StandardRulesNeverSeeArchivedImages) {
  const auto p = policy_from(R"({"rules":[
    {"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]})");
  auto archived = image("archived", {"v0"}, 1 * k_day);  // newest, but archived: not counted
  archived.status = ImageStatus::archived;
  archived.last_archived_at = k_test_now;
  EXPECT_EQ(acted_on({archived, image("a", {"v1"}, 3 * k_day), image("b", {"v2"}, 2 * k_day)}, p),
            Names{"a"});
}

// Pitfall 4: every list entry must match some tag (AND over entries, ANY over tags).
TEST(EvaluateSemantics, EveryListEntryMustMatchSomeTag) {
  const auto p = policy_from(R"({"rules":[
    {"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixList":["prod","v"],"countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]})");
  EXPECT_EQ(acted_on({image("both-old", {"prod", "v1"}, 3 * k_day),
                      image("prod-only", {"prod-x"}, 4 * k_day),
                      image("both-new", {"v2", "prod"}, 1 * k_day)},
                     p),
            Names{"both-old"});
}

TEST(EvaluateSemantics, PatternsAreAnchoredGlobsWhereStarMayMatchNothing) {
  const auto p = policy_from(R"({"rules":[
    {"rulePriority":1,"selection":{"tagStatus":"tagged","tagPatternList":["prod*"],"countType":"sinceImagePushed","countUnit":"days","countNumber":1},"action":{"type":"expire"}}]})");
  EXPECT_EQ(acted_on({image("exact", {"prod"}, 3 * k_day),
                      image("inside", {"repo-production"}, 3 * k_day),
                      image("prefix", {"production-team1"}, 3 * k_day)},
                     p),
            (Names{"exact", "prefix"}));
  const auto exact = policy_from(R"({"rules":[
    {"rulePriority":1,"selection":{"tagStatus":"tagged","tagPatternList":["latest"],"countType":"sinceImagePushed","countUnit":"days","countNumber":1},"action":{"type":"expire"}}]})");
  EXPECT_EQ(
      acted_on({image("l", {"latest"}, 3 * k_day), image("l2", {"latest2"}, 3 * k_day)}, exact),
      Names{"l"});
}

TEST(EvaluateSemantics, PrefixesAreLiteralAndCaseSensitive) {
  const auto p = policy_from(R"({"rules":[
    {"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixList":["prod"],"countType":"sinceImagePushed","countUnit":"days","countNumber":1},"action":{"type":"expire"}}]})");
  EXPECT_EQ(
      acted_on({image("upper", {"PROD-1"}, 3 * k_day), image("lower", {"prod-1"}, 3 * k_day)}, p),
      Names{"lower"});
}

// Pitfall 5 and R9: sinceImagePulled falls back to push time, and to restore time after a restore.
TEST(EvaluateSemantics, SinceImagePulledReferenceTimes) {
  const auto p = policy_from(R"({"rules":[
    {"rulePriority":1,"selection":{"tagStatus":"any","countType":"sinceImagePulled","countUnit":"days","countNumber":90},"action":{"type":"transition","targetStorageClass":"archive"}}]})");
  auto never_pulled_old = image("never-pulled-old", {"a"}, 200 * k_day);
  auto never_pulled_new = image("never-pulled-new", {"b"}, 10 * k_day);
  auto pulled_recently = image("pulled-recently", {"c"}, 300 * k_day);
  pulled_recently.last_pulled_at = k_test_now - 5 * k_day;
  auto pulled_long_ago = image("pulled-long-ago", {"d"}, 300 * k_day);
  pulled_long_ago.last_pulled_at = k_test_now - 100 * k_day;
  auto restored_unpulled = image("restored-unpulled", {"e"}, 400 * k_day);
  restored_unpulled.last_pulled_at = k_test_now - 300 * k_day;
  restored_unpulled.last_activated_at = k_test_now - 10 * k_day;
  EXPECT_EQ(acted_on({never_pulled_old, never_pulled_new, pulled_recently, pulled_long_ago,
                      restored_unpulled},
                     p),
            (Names{"never-pulled-old", "pulled-long-ago"}));
}

// R6: a restored image is ordered by its restore time (spec Q6, medium confidence).
TEST(EvaluateSemantics, RestoredImagesOrderByLastActivatedAt) {
  const auto p = policy_from(R"({"rules":[
    {"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]})");
  auto restored = image("restored", {"v1"}, 300 * k_day);
  restored.last_activated_at = k_test_now - 1 * k_day;
  EXPECT_EQ(acted_on({restored, image("recent", {"v2"}, 2 * k_day)}, p), Names{"recent"});
}

// Our choice (spec Q3): "older than N days" means strictly more than N*24h before now.
TEST(EvaluateSemantics, AgeBoundaryIsWhole24HourPeriodsStrict) {
  const auto p = policy_from(R"({"rules":[
    {"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":1},"action":{"type":"expire"}}]})");
  EXPECT_EQ(acted_on({image("exactly", {}, k_day), image("over", {}, k_day + 1)}, p),
            Names{"over"});
}

// R5: an untagged child of a live tagged index is never expired, though it still counts.
TEST(EvaluateSemantics, ManifestListChildrenAreNotExpired) {
  const auto p = policy_from(R"({"rules":[
    {"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]})");
  auto index = image("index", {"v1"}, 10 * k_day);
  index.manifest_media_type = "application/vnd.oci.image.index.v1+json";
  index.child_digests = {"sha256:amd64", "sha256:arm64"};
  const std::vector<ImageRecord> images{
      index, image("amd64", {}, 10 * k_day), image("arm64", {}, 10 * k_day),
      image("stray-old", {}, 20 * k_day), image("stray-new", {}, 1 * k_day)};
  EXPECT_EQ(acted_on(images, p), Names{"stray-old"});
  const auto verdicts = evaluate_policy(p, images, k_test_now);
  EXPECT_EQ(verdicts[1].reason, VerdictReason::child_of_live_index);
}

// Our choice (spec 5.3): when the index itself is expired in this evaluation, children that their
// own rule marks go in the same evaluation (ECR would take them on its next run).
TEST(EvaluateSemantics, ChildrenOfAnExpiredIndexMayGoInTheSameEvaluation) {
  const auto p = policy_from(R"({"rules":[
    {"rulePriority":1,"selection":{"tagStatus":"any","countType":"sinceImagePushed","countUnit":"days","countNumber":30},"action":{"type":"expire"}}]})");
  auto index = image("index", {"v1"}, 60 * k_day);
  index.child_digests = {"sha256:child"};
  auto nested = image("nested-index", {}, 60 * k_day);
  nested.child_digests = {"sha256:grandchild"};
  auto live = image("live-index", {"v2"}, 1 * k_day);
  live.child_digests = {"sha256:nested-index"};
  EXPECT_EQ(acted_on({index, image("child", {}, 60 * k_day), live, nested,
                      image("grandchild", {}, 60 * k_day)},
                     p),
            (Names{"index", "child"}));
}

// R11 (our reading): a referrer goes with its subject; otherwise rules treat it as an image.
TEST(EvaluateSemantics, ReferrersFollowTheirSubject) {
  const auto p = policy_from(R"({"rules":[
    {"rulePriority":1,"selection":{"tagStatus":"tagged","tagPatternList":["v*"],"countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]})");
  auto signature = image("sig", {}, 5 * k_day);
  signature.subject_digest = "sha256:old";
  signature.artifact_media_type = "application/vnd.dev.cosign.artifact.sig.v1+json";
  auto kept_signature = image("sig-new", {}, 1 * k_day);
  kept_signature.subject_digest = "sha256:new";
  const std::vector<ImageRecord> images{image("old", {"v1"}, 5 * k_day), signature,
                                        image("new", {"v2"}, 1 * k_day), kept_signature};
  EXPECT_EQ(acted_on(images, p), (Names{"old", "sig"}));
  const auto verdicts = evaluate_policy(p, images, k_test_now);
  EXPECT_EQ(verdicts[1].reason, VerdictReason::follows_subject);
  EXPECT_EQ(verdicts[1].applied_rule_priority(), 1);
}

// Our choice (spec Q10): an image being restored is left alone by every rule.
TEST(EvaluateSemantics, ActivatingImagesAreNeverSelected) {
  const auto p = policy_from(R"({"rules":[
    {"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]})");
  auto restoring = image("restoring", {"v0"}, 100 * k_day);
  restoring.status = ImageStatus::activating;
  const auto verdicts = evaluate_policy(
      p, std::vector<ImageRecord>{restoring, image("a", {"v1"}, 1 * k_day)}, k_test_now);
  EXPECT_EQ(verdicts[0].action, VerdictAction::keep);
  EXPECT_EQ(verdicts[0].reason, VerdictReason::being_restored);
}

TEST(EvaluateSemantics, ArchivedImageWithoutArchiveTimeIsKept) {
  const auto p = policy_from(R"({"rules":[
    {"rulePriority":1,"selection":{"tagStatus":"any","storageClass":"archive","countType":"sinceImageTransitioned","countUnit":"days","countNumber":90},"action":{"type":"expire"}}]})");
  auto archived = image("archived", {"v0"}, 1000 * k_day);
  archived.status = ImageStatus::archived;
  const auto verdicts = evaluate_policy(p, std::vector<ImageRecord>{archived}, k_test_now);
  EXPECT_EQ(verdicts[0].reason, VerdictReason::no_archive_time);
  EXPECT_EQ(verdicts[0].action, VerdictAction::keep);
}

// Count rules rank ties by digest, so input order never changes the result (spec Q3).
TEST(EvaluateSemantics, EqualPushTimesBreakTiesByDigest) {
  const auto p = policy_from(R"({"rules":[
    {"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]})");
  EXPECT_EQ(acted_on({image("b", {"x"}, k_day), image("a", {"y"}, k_day)}, p), Names{"b"});
  EXPECT_EQ(acted_on({image("a", {"y"}, k_day), image("b", {"x"}, k_day)}, p), Names{"b"});
}

TEST(EvaluateSemantics, NoRuleSelectsMeansKeep) {
  const auto p = policy_from(R"({"rules":[
    {"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]})");
  const auto verdicts =
      evaluate_policy(p, std::vector<ImageRecord>{image("t", {"v1"}, 400 * k_day)}, k_test_now);
  EXPECT_EQ(verdicts[0].reason, VerdictReason::no_rule_selects);
  EXPECT_FALSE(verdicts[0].applied_rule_priority());
}

}  // namespace
}  // namespace regsweep
