#include "plan/plan.hpp"

#include <gtest/gtest.h>

#include <unordered_map>

#include "policy/parse.hpp"
#include "util/size.hpp"

namespace regsweep {
namespace {

// These tests pin ECR's semantics and the money arithmetic; regsweep's own protections are tested
// in protect_test.cpp and by PlanProtections below.
PlanOptions ecr_only(EpochMillis now, double price, double archive,
                     std::vector<std::string> globs) {
  PlanOptions options;
  options.now = now;
  options.price_per_gb_month = price;
  options.archive_price_per_gb_month = archive;
  options.repository_globs = std::move(globs);
  options.protect = false;
  return options;
}

constexpr EpochMillis k_now = 1'800'000'000'000;
constexpr std::uint64_t k_gib = 1ull << 30;

ImageRecord image(std::string digest, std::vector<std::string> tags, int days_old,
                  std::uint64_t size, ImageStatus status = ImageStatus::active) {
  ImageRecord out;
  out.digest = std::move(digest);
  out.tags = std::move(tags);
  out.pushed_at = k_now - days_old * k_millis_per_day;
  out.size_bytes = size;
  out.status = status;
  if (status == ImageStatus::archived) out.last_archived_at = k_now - days_old * k_millis_per_day;
  return out;
}

Policy policy(std::string_view text) {
  auto parsed = parse_policy(text, "test.json");
  EXPECT_TRUE(parsed.ok()) << parsed.error().message;
  return parsed.ok() ? std::move(parsed).value() : Policy{};
}

// Untagged images older than 10 days expire; tagged ones beyond the newest 1 go to archive.
constexpr const char* k_policy = R"({"rules": [
  {"rulePriority": 1, "description": "expire old untagged images",
   "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 10},
   "action": {"type": "expire"}},
  {"rulePriority": 2, "description": "archive all but the newest release",
   "selection": {"tagStatus": "tagged", "tagPrefixList": ["v"], "countType": "imageCountMoreThan", "countNumber": 1},
   "action": {"type": "transition", "targetStorageClass": "archive"}}]})";

Inventory inventory() {
  Inventory inv;
  inv.repositories.push_back(Repository{"team/app", "", "", {}});
  auto& app = inv.repositories.back().images;
  app.push_back(image("sha256:u-old", {}, 30, 2 * k_gib));
  app.push_back(image("sha256:u-new", {}, 2, 1 * k_gib));
  app.push_back(image("sha256:v1", {"v1"}, 40, 4 * k_gib));
  app.push_back(image("sha256:v2", {"v2"}, 20, 4 * k_gib));
  inv.repositories.push_back(Repository{"team/web", "", "", {}});
  inv.repositories.back().images.push_back(image("sha256:w-old", {}, 100, 1 * k_gib));
  inv.repositories.push_back(Repository{"other", "", "", {}});
  inv.repositories.back().images.push_back(image("sha256:o-old", {}, 100, 8 * k_gib));
  inv.skipped.push_back({"team/broken", "AccessDenied"});
  inv.skipped.push_back({"elsewhere", "throttled"});
  return inv;
}

TEST(BuildPlan, VerdictsAlignWithImagesAndTotalsAddUp) {
  const Inventory inv = inventory();
  const Plan plan = build_plan(inv, policy(k_policy), ecr_only(k_now, 0.10, -1.0, {}));
  ASSERT_EQ(plan.repositories.size(), 3u);
  const RepositoryPlan& app = plan.repositories[0];
  EXPECT_EQ(app.repository, &inv.repositories[0]);
  ASSERT_EQ(app.verdicts.size(), 4u);
  EXPECT_EQ(app.verdicts[0].action, VerdictAction::expire);
  EXPECT_EQ(app.verdicts[0].applied_rule_priority(), 1);
  EXPECT_EQ(app.verdicts[1].action, VerdictAction::keep);
  EXPECT_EQ(app.verdicts[2].action, VerdictAction::transition);
  EXPECT_EQ(app.verdicts[3].action, VerdictAction::keep);
  EXPECT_EQ(app.totals.images, 4u);
  EXPECT_EQ(app.totals.expiring, 1u);
  EXPECT_EQ(app.totals.transitioning, 1u);
  EXPECT_EQ(app.totals.kept, 2u);
  EXPECT_EQ(app.totals.bytes_expiring, 2 * k_gib);
  EXPECT_EQ(app.totals.bytes_transitioning, 4 * k_gib);
  EXPECT_EQ(app.totals.bytes_total, 11 * k_gib);

  EXPECT_EQ(plan.totals.repositories, 3u);
  EXPECT_EQ(plan.totals.images, 6u);
  EXPECT_EQ(plan.totals.expiring, 3u);
  EXPECT_EQ(plan.totals.transitioning, 1u);
  EXPECT_EQ(plan.totals.kept, 2u);
  EXPECT_EQ(plan.totals.bytes_expiring, 11 * k_gib);
  // Archive price defaults to the standard price: transitions save nothing; 11 GiB expired at
  // $0.10.
  EXPECT_DOUBLE_EQ(plan.totals.monthly_savings, 1.1);
  ASSERT_EQ(plan.skipped.size(), 2u);
}

TEST(BuildPlan, TransitionsSaveTheDifferenceWhenAnArchivePriceIsGiven) {
  const Inventory inv = inventory();
  const Plan plan = build_plan(inv, policy(k_policy), ecr_only(k_now, 0.10, 0.01, {}));
  EXPECT_DOUBLE_EQ(plan.archive_price_per_gb_month, 0.01);
  EXPECT_NEAR(plan.repositories[0].totals.monthly_savings, 2 * 0.10 + 4 * (0.10 - 0.01), 1e-12);
}

TEST(BuildPlan, ExpiredArchivedImagesSaveAtTheArchivePrice) {
  Inventory inv;
  inv.repositories.push_back(Repository{"r", "", "", {}});
  inv.repositories[0].images.push_back(
      image("sha256:a", {"x"}, 400, 10 * k_gib, ImageStatus::archived));
  const Policy p =
      policy(R"({"rules": [{"rulePriority": 1, "description": "drop archived after 90 days",
    "selection": {"tagStatus": "any", "storageClass": "archive", "countType": "sinceImageTransitioned",
                  "countUnit": "days", "countNumber": 90}, "action": {"type": "expire"}}]})");
  const Plan plan = build_plan(inv, p, ecr_only(k_now, 0.10, 0.02, {}));
  ASSERT_EQ(plan.totals.expiring, 1u);
  EXPECT_NEAR(plan.totals.monthly_savings, 10 * 0.02, 1e-12);
}

// A snapshot of `aws ecr describe-images` output has no manifests: a kept index's children are
// unknown, and the untagged images that may be them are counted for the warning.
TEST(BuildPlan, CountsKeptIndexesWithoutManifestsAndTheUntaggedImagesTheyMayOwn) {
  Inventory inv;
  inv.repositories.push_back(Repository{"r", "", "", {}});
  auto& images = inv.repositories[0].images;
  images.push_back(image("sha256:index", {"v1"}, 30, k_gib));
  images.back().manifest_media_type = "application/vnd.oci.image.index.v1+json";
  images.push_back(image("sha256:child-a", {}, 30, k_gib));
  images.push_back(image("sha256:child-b", {}, 30, k_gib));
  images.push_back(image("sha256:new", {}, 1, k_gib));
  for (std::size_t i = 1; i < images.size(); ++i)
    images[i].manifest_media_type = "application/vnd.oci.image.manifest.v1+json";
  const Plan plan = build_plan(inv, policy(k_policy), ecr_only(k_now, 0.10, -1.0, {}));
  EXPECT_EQ(plan.totals.expiring, 2u);
  EXPECT_EQ(plan.totals.indexes_without_manifest, 1u);
  EXPECT_EQ(plan.totals.maybe_unprotected_children, 2u);

  // With its manifest (a live listing, `regsweep snapshot`) nothing is unknown.
  images[0].manifest = R"({"manifests":[]})";
  const Plan known = build_plan(inv, policy(k_policy), ecr_only(k_now, 0.10, -1.0, {}));
  EXPECT_EQ(known.totals.indexes_without_manifest, 0u);
  EXPECT_EQ(known.totals.maybe_unprotected_children, 0u);
}

TEST(BuildPlan, RepositoryGlobsFilterRepositoriesAndSkippedOnes) {
  const Inventory inv = inventory();
  const Plan plan =
      build_plan(inv, policy(k_policy), ecr_only(k_now, 0.10, -1.0, {"team/*", "oth?r"}));
  ASSERT_EQ(plan.repositories.size(), 3u);
  const Plan only_team = build_plan(inv, policy(k_policy), ecr_only(k_now, 0.10, -1.0, {"team/*"}));
  ASSERT_EQ(only_team.repositories.size(), 2u);
  EXPECT_EQ(only_team.repositories[1].repository->name, "team/web");
  ASSERT_EQ(only_team.skipped.size(), 1u);
  EXPECT_EQ(only_team.skipped[0].name, "team/broken");
  EXPECT_EQ(only_team.totals.images, 5u);
  const Plan none = build_plan(inv, policy(k_policy), ecr_only(k_now, 0.10, -1.0, {"nomatch"}));
  EXPECT_TRUE(none.repositories.empty());
  EXPECT_EQ(none.totals.images, 0u);
}

TEST(BuildPlan, NowIsAValueNotTheClock) {
  const Inventory inv = inventory();
  // Ten days earlier the 30-day-old untagged image was 20 days old: still expired; 95 days
  // earlier, nothing untagged is old enough yet.
  const Plan early =
      build_plan(inv, policy(k_policy), ecr_only(k_now - 95 * k_millis_per_day, 0.10, -1.0, {}));
  EXPECT_EQ(early.repositories[0].verdicts[0].action, VerdictAction::keep);
  EXPECT_EQ(early.repositories[1].verdicts[0].action, VerdictAction::keep);
}

TEST(RepositorySelected, EmptyGlobListSelectsAll) {
  EXPECT_TRUE(repository_selected({}, "anything"));
  EXPECT_TRUE(repository_selected({"a?c"}, "abc"));
  EXPECT_FALSE(repository_selected({"a?c"}, "abbc"));
}

TEST(PlanProtections, InUseAndEmptyRepositoryGuardsChangeVerdictsAndTotals) {
  const Inventory inv = inventory();
  PlanOptions options;
  options.now = k_now;
  const std::unordered_map<std::string, std::string> app_in_use = {
      {"sha256:u-old", "k8s deployment prod/api"}};
  options.in_use_for = [&](const Repository& repo) {
    return repo.name == "team/app" ? &app_in_use : nullptr;
  };
  const Plan plan = build_plan(inv, policy(k_policy), options);
  const RepositoryPlan& app = plan.repositories[0];
  EXPECT_EQ(app.verdicts[0].action, VerdictAction::keep);  // in use
  ASSERT_NE(app.protection_of(0), nullptr);
  EXPECT_EQ(app.protection_of(0)->kind, ProtectionKind::in_use);
  EXPECT_EQ(app.totals.expiring, 0u);
  // team/web and other hold one image each, which would expire: never emptied by default.
  EXPECT_EQ(plan.repositories[1].verdicts[0].action, VerdictAction::keep);
  EXPECT_EQ(plan.repositories[1].protection_of(0)->kind,
            ProtectionKind::repository_would_be_emptied);
  EXPECT_EQ(plan.totals.expiring, 0u);
  options.protection.allow_empty = true;
  EXPECT_EQ(build_plan(inv, policy(k_policy), options).totals.expiring, 2u);
}

}  // namespace
}  // namespace regsweep
