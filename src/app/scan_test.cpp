#include "app/scan.hpp"

#include <gtest/gtest.h>

#include "app/plan_fleet.hpp"
#include "policy/parse.hpp"
#include "registry/snapshot/snapshot_registry.hpp"
#include "support/fake_registry.hpp"

namespace regsweep {
namespace {

ImageRecord image(std::string digest, std::vector<std::string> tags, EpochMillis pushed) {
  ImageRecord out;
  out.digest = std::move(digest);
  out.tags = std::move(tags);
  out.pushed_at = pushed;
  out.size_bytes = 100;
  return out;
}

TEST(ScanRegistry, SkipsARepositoryWhoseListingFailsWholeAndFiltersByGlob) {
  testing::FakeRegistry registry;
  registry.add_repository("team/app",
                          {image("sha256:1", {"v1"}, 1000), image("sha256:2", {}, 2000)});
  registry.add_repository("team/broken", {image("sha256:3", {}, 1000)});
  registry.add_repository("other", {image("sha256:4", {}, 1000)});
  registry.fail_listing.insert("team/broken");
  std::size_t progress_calls = 0;
  auto inventory = scan_registry(registry, {{"team/*"},
                                            [&](std::size_t, std::size_t total) {
                                              ++progress_calls;
                                              EXPECT_EQ(total, 2u);
                                            },
                                            4});
  ASSERT_TRUE(inventory.ok()) << inventory.error().message;
  ASSERT_EQ((*inventory)->repositories.size(), 1u);
  EXPECT_EQ((*inventory)->repositories[0].name, "team/app");
  EXPECT_EQ((*inventory)->repositories[0].images.size(), 2u);
  ASSERT_EQ((*inventory)->skipped.size(), 1u);
  EXPECT_EQ((*inventory)->skipped[0].name, "team/broken");
  EXPECT_FALSE((*inventory)->skipped[0].reason.empty());
  EXPECT_EQ(progress_calls, 2u);
  // "other" was never listed: the filter applies before listing.
  for (const auto& call : registry.calls("list_images")) EXPECT_NE(call.repository, "other");
}

TEST(ScanRegistry, SharesASnapshotsInventoryInsteadOfCopyingIt) {
  Inventory inv;
  inv.repositories.push_back(Repository{"a", "", "", {image("sha256:1", {}, 1)}});
  inv.repositories.push_back(Repository{"b", "", "", {image("sha256:2", {}, 1)}});
  SnapshotRegistry snapshot("s.json", std::move(inv));
  auto all = scan_registry(snapshot, {});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->get(), snapshot.inventory().get());
  auto only_b = scan_registry(snapshot, {{"b"}, {}, 4});
  ASSERT_TRUE(only_b.ok());
  ASSERT_EQ((*only_b)->repositories.size(), 1u);
  EXPECT_EQ((*only_b)->repositories[0].name, "b");
}

TEST(PlanRegistry, PlansSkippedRepositoriesAsSkipped) {
  testing::FakeRegistry registry;
  registry.add_repository("app", {image("sha256:1", {}, 0), image("sha256:2", {}, 0)});
  registry.add_repository("broken", {image("sha256:3", {}, 0)});
  registry.fail_listing.insert("broken");
  auto policy =
      parse_policy(R"({"rules": [{"rulePriority": 1, "selection": {"tagStatus": "untagged",
      "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}}]})",
                   "p.json");
  ASSERT_TRUE(policy.ok()) << policy.error().message;
  PlanOptions options;
  options.now = 10 * k_millis_per_day;
  options.protect = false;  // the one image would empty its repository; this test is about skipping
  auto run = plan_registry(registry, *policy, options);
  ASSERT_TRUE(run.ok());
  ASSERT_EQ(run->plan.repositories.size(), 1u);
  EXPECT_EQ(run->plan.totals.expiring, 1u);
  ASSERT_EQ(run->plan.skipped.size(), 1u);
  EXPECT_EQ(run->plan.skipped[0].name, "broken");
}

}  // namespace
}  // namespace regsweep
