// The policy preview use case: repositories are grouped by the policy installed on them (order
// and formatting do not matter), those without one keep every image, an unreadable policy skips
// its repository.
#include "app/preview_policies.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/policy_fixtures.hpp"
#include "support/use_case_fixture.hpp"

namespace regsweep {
namespace {

using testing::aged;
using testing::k_day;
using ::testing::SizeIs;

TEST(PreviewUseCase, PlansEachRepositoryWithTheInstalledPolicy) {
  testing::UseCaseFixture f;
  auto& registry = f.add_registry("us-east-1");
  for (const auto& name : {"a", "b", "none", "broken"}) {
    registry.add_repository(name, {aged(std::string("sha256:old-") + name, {}, 30 * k_day),
                                   aged(std::string("sha256:v-") + name, {"v"}, 1)});
  }
  const std::string rule =
      R"({"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}})";
  ASSERT_TRUE(registry.put_lifecycle_policy("a", "{\"rules\":[" + rule + "]}").ok());
  ASSERT_TRUE(registry.put_lifecycle_policy("b", "{ \"rules\" : [ " + rule + " ] }").ok());
  ASSERT_TRUE(registry.put_lifecycle_policy("broken", R"({"rules":[]})").ok());
  PreviewRequest request;
  request.plan.now = f.clock.now();
  const auto preview = preview_installed_policies(f.opened(), request, f.clock, f.events);
  ASSERT_THAT(preview.groups, SizeIs(2));
  EXPECT_FALSE(preview.groups[0].policy.has_value());  // "none": every image kept
  EXPECT_EQ(preview.groups[0].plan.totals.expiring, 0u);
  EXPECT_EQ(preview.groups[1].plan.repositories.size(), 2u);  // a and b: the same policy
  EXPECT_EQ(preview.groups[1].plan.totals.expiring, 2u);
  ASSERT_THAT(preview.skipped, SizeIs(1));
  EXPECT_EQ(preview.skipped[0].name, "broken");
  EXPECT_FALSE(preview.complete());
}

}  // namespace
}  // namespace regsweep
