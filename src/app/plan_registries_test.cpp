// The plan use case over fake registries: a registry that cannot be listed is reported as a
// registry (not as a repository), a glob matching nothing is said, and a live registry is judged
// by the real clock whatever --now says.
#include "app/plan_registries.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/policy_fixtures.hpp"
#include "support/use_case_fixture.hpp"

namespace regsweep {
namespace {

using testing::aged;
using testing::k_day;
using ::testing::SizeIs;

const char* k_untagged_after_1_day = R"({"rules":[{"rulePriority":1,"selection":{
  "tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":1},
  "action":{"type":"expire"}}]})";

TEST(PlanUseCase, AGlobThatMatchesNothingIsSaid) {
  testing::UseCaseFixture f;
  f.add_registry("111111111111/us-east-1")
      .add_repository("app", {aged("sha256:a", {}, 30 * k_day), aged("sha256:v", {"v"}, 1)});
  PlanRequest request;
  request.plan.now = f.clock.now();
  request.plan.repository_globs = {"app", "ap"};
  const Policy policy = testing::policy_from(k_untagged_after_1_day);
  auto outcome = plan_registries(f.opened(), policy, request, f.clock, f.events);
  EXPECT_TRUE(outcome.complete());
  EXPECT_EQ(outcome.unmatched_globs, std::vector<std::string>{"ap"});
  EXPECT_TRUE(f.events.said("--repository-name 'ap' matches no repository"));
  EXPECT_EQ(outcome.fleet.merged.totals.expiring, 1u);
}

TEST(PlanUseCase, AFutureNowNeverAgesAFreshImageOfALiveRegistry) {
  testing::UseCaseFixture f;
  f.add_registry("us-east-1")
      .add_repository(
          "app", {aged("sha256:fresh", {}, 60'000, 1'790'000'000'000), aged("sha256:v", {"v"}, 1)});
  PlanRequest request;
  request.plan.now = f.clock.now() + 365 * k_day;  // --now a year ahead
  request.plan.protection.allow_empty = true;
  const auto outcome = plan_registries(f.opened(), testing::policy_from(k_untagged_after_1_day),
                                       request, f.clock, f.events);
  EXPECT_EQ(outcome.fleet.merged.totals.expiring, 0u);
  EXPECT_EQ(outcome.fleet.merged.repositories[0].protections[0].kind,
            ProtectionKind::younger_than_min_age);
}

}  // namespace
}  // namespace regsweep
