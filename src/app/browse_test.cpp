#include "app/browse.hpp"

#include <gtest/gtest.h>

#include "policy/parse.hpp"
#include "support/use_case_fixture.hpp"

namespace regsweep {
namespace {

using testing::aged;
using testing::UseCaseFixture;

constexpr EpochMillis k_day = 86'400'000;
constexpr const char* k_untagged_14 = R"({"rules":[{"rulePriority":1,"description":"untagged",
  "selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days",
  "countNumber":14},"action":{"type":"expire"}}]})";

class BrowseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto& registry = fixture.add_registry("111111111111/us-east-1");
    for (const char* name : {"with-policy", "same-policy", "no-policy", "bad-policy"}) {
      registry.add_repository(
          name, {aged("sha256:old", {}, 30 * k_day), aged("sha256:new", {}, 2 * k_day),
                 aged("sha256:tagged", {"v1"}, 90 * k_day)});
    }
    ASSERT_TRUE(registry.put_lifecycle_policy("with-policy", k_untagged_14).ok());
    ASSERT_TRUE(registry.put_lifecycle_policy("same-policy", k_untagged_14).ok());
    ASSERT_TRUE(registry.put_lifecycle_policy("bad-policy", R"({"rules":[]})").ok());
    browsed = browse_registries(fixture.opened(), {}, fixture.events);
    options.now = fixture.clock.now();
  }

  UseCaseFixture fixture;
  std::vector<BrowsedRegistry> browsed;
  PlanOptions options;
};

TEST_F(BrowseTest, ListsImagesAndInstalledPoliciesOnce) {
  ASSERT_EQ(browsed.size(), 1u);
  ASSERT_TRUE(browsed[0].inventory);
  EXPECT_TRUE(browsed[0].live);
  EXPECT_EQ(browsed[0].inventory->repositories.size(), 4u);
  std::size_t with_policy = 0;
  for (const auto& text : browsed[0].installed) with_policy += text.has_value();
  EXPECT_EQ(with_policy, 3u);
}

TEST_F(BrowseTest, InstalledModeGroupsRepositoriesByTheirPolicyAsPolicyPreviewDoes) {
  const BrowsePlan plan = plan_browsed(browsed[0], nullptr, "", options, fixture.clock);
  // One group for the two equal policies, one for "no policy"; the invalid one is skipped.
  ASSERT_EQ(plan.groups.size(), 2u);
  ASSERT_EQ(plan.skipped.size(), 1u);
  EXPECT_EQ(plan.skipped[0].name, "bad-policy");
  EXPECT_EQ(plan.totals.repositories, 3u);
  EXPECT_EQ(plan.totals.expiring, 2u);  // "old" in with-policy and same-policy
}

TEST_F(BrowseTest, ChosenModePlansEveryRepositoryAsPlanDoes) {
  auto policy = parse_policy(k_untagged_14, "p");
  ASSERT_TRUE(policy.ok());
  const BrowsePlan plan = plan_browsed(browsed[0], &*policy, k_untagged_14, options, fixture.clock);
  ASSERT_EQ(plan.groups.size(), 1u);
  const Plan direct = build_plan(*browsed[0].inventory, *policy, [&] {
    PlanOptions o = options;
    o.protection.clock = fixture.clock.now();
    return o;
  }());
  EXPECT_EQ(plan.totals.expiring, direct.totals.expiring);
  EXPECT_EQ(plan.totals.expiring, 4u);
  EXPECT_EQ(plan.totals.images, 12u);
}

TEST_F(BrowseTest, RelistingOneRepositorySeesWhatChanged) {
  auto& registry = static_cast<testing::FakeRegistry&>(*fixture.opened()[0].registry);
  ASSERT_TRUE(registry.delete_images("no-policy", {{"sha256:old", ""}}).ok());
  const auto before = browsed[0].inventory;
  ASSERT_TRUE(relist_repository(fixture.opened()[0], browsed[0], "no-policy").ok());
  EXPECT_NE(before, browsed[0].inventory);  // a new inventory: plans of the old stay valid
  for (const auto& repo : browsed[0].inventory->repositories)
    EXPECT_EQ(repo.images.size(), repo.name == "no-policy" ? 2u : 3u) << repo.name;
}

}  // namespace
}  // namespace regsweep
