// Reading a saved plan (docs/plan-json.md, schema 1) and matching it against a live listing.
#include "plan/saved_plan.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace regsweep {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

const char* k_plan = R"({
  "schemaVersion": 1, "source": "ECR 123456789012 eu-west-1", "now": "2026-11-01T00:00:00Z",
  "pricePerGbMonth": 0.1, "policy": {"rules": []},
  "repositories": [
    {"repositoryName": "payments/api", "registryId": "123456789012", "region": "eu-west-1",
     "summary": {},
     "images": [
      {"imageDigest": "sha256:old", "imageTags": ["git-1", "git-2"], "imagePushedAt": "2025-05-02T10:11:12Z",
       "imageSizeInBytes": 352321536, "storageClass": "standard", "action": "expire",
       "appliedRulePriority": 4, "rulePriority": 4, "reasonCode": "ageExceeded", "reason": "expire: rule 4"},
      {"imageDigest": "sha256:new", "imageTags": ["v9"], "imagePushedAt": "2026-10-30T00:00:00Z",
       "imageSizeInBytes": 1, "storageClass": "standard", "action": "keep",
       "appliedRulePriority": null, "rulePriority": 1, "reasonCode": "withinCount", "reason": "kept"},
      {"imageDigest": "sha256:untagged", "imageTags": [], "imagePushedAt": "2023-11-14T22:13:20Z",
       "imageSizeInBytes": 5, "storageClass": "standard", "action": "expire",
       "appliedRulePriority": 2, "rulePriority": 2, "reasonCode": "ageExceeded", "reason": "untagged"},
      {"imageDigest": "sha256:arch", "imageTags": ["a"], "imagePushedAt": "2024-01-01T00:00:00Z",
       "imageSizeInBytes": 5, "storageClass": "standard", "action": "transition",
       "appliedRulePriority": 3, "rulePriority": 3, "reasonCode": "ageExceeded", "reason": "archive"}
     ]},
    {"repositoryName": "web", "summary": {}, "images": []}
  ],
  "skippedRepositories": [], "totals": {}
})";

TEST(SavedPlan, ReadsTheExpiringImagesPerRepository) {
  auto plan = parse_saved_plan(k_plan, "plan.json");
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  EXPECT_EQ(plan->source, "ECR 123456789012 eu-west-1");
  EXPECT_EQ(plan->now, *parse_timestamp("2026-11-01T00:00:00Z"));
  ASSERT_THAT(plan->repositories, SizeIs(2));
  const auto& repo = plan->repositories[0];
  EXPECT_EQ(repo.repository, "payments/api");
  EXPECT_EQ(repo.registry_id, "123456789012");
  EXPECT_EQ(repo.region, "eu-west-1");
  ASSERT_THAT(repo.expiring, SizeIs(2));       // keep and transition are not read as deletions
  ASSERT_THAT(repo.transitioning, SizeIs(1));  // transitions are read apart, as archives
  EXPECT_EQ(repo.transitioning[0].digest, "sha256:arch");
  EXPECT_EQ(repo.expiring[0].digest, "sha256:old");
  EXPECT_EQ(repo.expiring[0].tags, (std::vector<std::string>{"git-1", "git-2"}));
  EXPECT_EQ(repo.expiring[0].size_bytes, 352321536u);
  EXPECT_EQ(repo.expiring[0].pushed_at, *parse_timestamp("2025-05-02T10:11:12Z"));
  EXPECT_EQ(repo.expiring[0].rule_priority, 4);
  EXPECT_EQ(repo.expiring[0].reason, "expire: rule 4");
  EXPECT_EQ(repo.expiring[1].pushed_at, 1'700'000'000'000);
  EXPECT_TRUE(plan->repositories[1].registry_id.empty());
  EXPECT_TRUE(plan->repositories[1].expiring.empty());
}

std::string edited(const std::string& from, const std::string& to) {
  std::string text = k_plan;
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

// Schema 2 (ECR's names everywhere) did not change a field a saved plan reads: plans saved before
// it still apply, and plans saved now are read.
TEST(SavedPlan, ReadsSchemaVersionsOneAndTwo) {
  for (const char* version : {"1", "2"}) {
    auto plan = parse_saved_plan(
        edited("\"schemaVersion\": 1", std::string("\"schemaVersion\": ") + version), "plan.json");
    ASSERT_TRUE(plan.ok()) << version << ": " << plan.error().message;
    EXPECT_FALSE(plan->repositories.empty());
  }
}

TEST(SavedPlan, RejectsAnotherSchemaVersionAndMissingOrMistypedFields) {
  struct Case {
    std::string text, message;
  } cases[] = {
      {edited("\"schemaVersion\": 1", "\"schemaVersion\": 3"),
       "plan.json: schemaVersion: is 3, this regsweep reads 1 to 2; plan again"},
      {edited("\"schemaVersion\": 1", "\"schemaVersion\": 0"),
       "plan.json: schemaVersion: is 0, this regsweep reads 1 to 2; plan again"},
      {edited("\"schemaVersion\": 1,", ""), "plan.json: schemaVersion: missing"},
      {edited("\"imageDigest\": \"sha256:old\",", ""),
       "plan.json: repositories[0].images[0].imageDigest: missing"},
      {edited("\"imageTags\": [\"git-1\", \"git-2\"]", "\"imageTags\": \"git-1\""),
       "repositories[0].images[0].imageTags: is \"git-1\", expected array"},
      {edited("\"imageSizeInBytes\": 352321536", "\"imageSizeInBytes\": -1"),
       "repositories[0].images[0].imageSizeInBytes: is -1, expected a non-negative integer"},
      {edited("\"2025-05-02T10:11:12Z\"", "\"yesterday\""),
       "repositories[0].images[0].imagePushedAt: 'yesterday' is not a time"},
      {edited("\"action\": \"expire\"", "\"action\": \"delete\""),
       "repositories[0].images[0].action: 'delete' is not keep, expire or transition"},
      {edited("\"repositoryName\": \"web\",", ""), "repositories[1].repositoryName: missing"},
      {"[1,2]", "plan.json: (document): not a JSON object"},
      {"{", "not a JSON object"},
  };
  for (const auto& c : cases) {
    auto plan = parse_saved_plan(c.text, "plan.json");
    ASSERT_FALSE(plan.ok()) << c.message;
    EXPECT_EQ(plan.error().code, ErrorCode::invalid_input);
    EXPECT_THAT(plan.error().message, HasSubstr(c.message));
    EXPECT_THAT(plan.error().message, HasSubstr("; "));  // every message says what to do
  }
  // A kept image may lack the deletion fields: only expiring images must be complete.
  EXPECT_TRUE(parse_saved_plan(edited("\"imageSizeInBytes\": 1,", ""), "p").ok());
}

ImageRecord live(const std::string& digest, std::vector<std::string> tags) {
  ImageRecord r;
  r.digest = digest;
  r.tags = std::move(tags);
  return r;
}

TEST(SavedPlan, OnlyImagesStillAsPlannedAreMatched) {
  SavedRepository saved{"app", "", "", {}, {}};
  for (const auto& [digest, tags] :
       std::vector<std::pair<std::string, std::vector<std::string>>>{{"sha256:same", {"b", "a"}},
                                                                     {"sha256:retagged", {"old"}},
                                                                     {"sha256:missing", {}},
                                                                     {"sha256:child", {}},
                                                                     {"sha256:sig", {}},
                                                                     {"sha256:idx-child", {}},
                                                                     {"sha256:idx", {"x"}}}) {
    SavedImage image;
    image.digest = digest;
    image.tags = tags;
    image.reason = "expire: " + digest;
    saved.expiring.push_back(image);
  }
  auto kept_index = live("sha256:kept-index", {"v2"});
  kept_index.child_digests = {"sha256:child"};  // pushed after the plan: it now uses that child
  auto signature = live("sha256:sig", {});
  signature.subject_digest = "sha256:kept-index";
  auto expiring_index = live("sha256:idx", {"x"});
  expiring_index.child_digests = {"sha256:idx-child"};  // expires with its index: fine
  const std::vector<ImageRecord> images = {live("sha256:same", {"a", "b"}),
                                           live("sha256:retagged", {"old", "prod"}),
                                           live("sha256:child", {}),
                                           kept_index,
                                           signature,
                                           expiring_index,
                                           live("sha256:idx-child", {})};
  std::vector<SavedPlanMismatch> mismatches;
  const auto still = match_saved_repository(saved, images, mismatches);
  std::vector<std::string> digests;
  for (const auto& planned : still) {
    digests.push_back(planned.image->digest);
    EXPECT_EQ(planned.reason, "expire: " + planned.image->digest);
  }
  EXPECT_EQ(digests, (std::vector<std::string>{"sha256:same", "sha256:idx-child", "sha256:idx"}));
  EXPECT_EQ(still[2].image->child_digests, expiring_index.child_digests);  // the live record
  ASSERT_THAT(mismatches, SizeIs(4));
  EXPECT_EQ(mismatches[0].digest, "sha256:retagged");
  EXPECT_EQ(mismatches[0].problem, "tags changed since the plan: old -> old,prod");
  EXPECT_EQ(mismatches[1].problem, "no longer in the repository");
  EXPECT_THAT(mismatches[2].problem, HasSubstr("now listed by image index sha256:kept-index"));
  EXPECT_THAT(mismatches[3].problem, HasSubstr("a referrer of sha256:kept-index"));
}

TEST(SavedPlan, ATransitionArchivedOrListedByAKeptIndexSinceIsNotArchived) {
  SavedRepository saved{"app", "", "", {}, {}};
  for (const std::string digest : {"sha256:a", "sha256:archived", "sha256:child"}) {
    SavedImage image;
    image.digest = digest;
    saved.transitioning.push_back(image);
  }
  std::vector<ImageRecord> live(4);
  live[0].digest = "sha256:a";
  live[1].digest = "sha256:archived";
  live[1].status = ImageStatus::archived;
  live[2].digest = "sha256:child";
  live[3].digest = "sha256:index";
  live[3].tags = {"v1"};
  live[3].child_digests = {"sha256:child"};
  std::vector<SavedPlanMismatch> mismatches;
  const auto still = match_saved_transitions(saved, live, mismatches);
  ASSERT_THAT(still, SizeIs(1));
  EXPECT_EQ(still[0].image->digest, "sha256:a");
  ASSERT_THAT(mismatches, SizeIs(2));
  EXPECT_EQ(mismatches[0].problem, "archived since the plan");
  EXPECT_THAT(mismatches[1].problem, HasSubstr("image index sha256:index"));
  // The expire list is not the transition list.
  EXPECT_TRUE(match_saved_repository(saved, live, mismatches).empty());
}

}  // namespace
}  // namespace regsweep
