// The 90-day minimum of ECR's archive storage class: what deleting an archived image early costs,
// and the plan's warnings about it and about children a snapshot without manifests leaves
// unprotected.
#include "plan/archive_minimum.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "plan/plan_warnings.hpp"

namespace regsweep {
namespace {

constexpr EpochMillis k_now = 1'800'000'000'000;
constexpr std::uint64_t k_gb = 1ull << 30;

ImageRecord archived(EpochMillis archived_days_ago, std::uint64_t size = 3 * k_gb) {
  ImageRecord image;
  image.digest = "sha256:a";
  image.size_bytes = size;
  image.status = ImageStatus::archived;
  image.last_archived_at = k_now - archived_days_ago * k_millis_per_day;
  return image;
}

TEST(ArchiveMinimum, AnImageArchivedTenDaysAgoIsChargedTheOtherEighty) {
  const auto early = early_deletion(archived(10), k_now, 0.10);
  ASSERT_TRUE(early);
  EXPECT_EQ(early->days_archived, 10);
  EXPECT_EQ(early->days_charged, 80);
  EXPECT_NEAR(early->charge, 3 * 0.10 * 80 / 30.0, 1e-9);  // 3 GB x $0.10 x 80/30 months
}

TEST(ArchiveMinimum, NinetyDaysOrMoreAndActiveImagesCostNothingExtra) {
  EXPECT_FALSE(early_deletion(archived(90), k_now, 0.10));
  EXPECT_FALSE(early_deletion(archived(400), k_now, 0.10));
  ImageRecord active = archived(1);
  active.status = ImageStatus::active;
  EXPECT_FALSE(early_deletion(active, k_now, 0.10));
}

TEST(ArchiveMinimum, AnArchivedImageWithoutArchiveTimeIsChargedTheWholeMinimum) {
  ImageRecord unknown = archived(0);
  unknown.last_archived_at.reset();
  const auto early = early_deletion(unknown, k_now, 0.10);
  ASSERT_TRUE(early);
  EXPECT_EQ(early->days_charged, 90);
}

TEST(PlanWarnings, NameTheEarlyDeletionsAndTheirCharge) {
  PlanTotals totals;
  totals.early_deletions = 2;
  totals.early_deletion_charge = 1.6;
  const auto warnings = plan_warnings(totals);
  ASSERT_THAT(warnings, ::testing::SizeIs(1));
  EXPECT_THAT(warnings[0], ::testing::HasSubstr("2 expiring images were archived less than 90"));
  EXPECT_THAT(warnings[0], ::testing::HasSubstr("$1.60"));
}

TEST(PlanWarnings, NameIndexesWithoutManifestsTheirMaybeChildrenAndTheFix) {
  PlanTotals totals;
  totals.indexes_without_manifest = 3;
  totals.maybe_unprotected_children = 150;
  const auto warnings = plan_warnings(totals);
  ASSERT_THAT(warnings, ::testing::SizeIs(1));
  EXPECT_THAT(warnings[0], ::testing::HasSubstr("3 kept image indexes have no manifest"));
  EXPECT_THAT(warnings[0], ::testing::HasSubstr("up to 150 untagged images"));
  EXPECT_THAT(warnings[0], ::testing::HasSubstr("regsweep snapshot"));
  EXPECT_TRUE(plan_warnings(PlanTotals{}).empty());
}

}  // namespace
}  // namespace regsweep
