// Pull-time update exclusions: the principal an exclusion names for a caller, setup's idempotent
// register / remove / check, and the one warning plan and apply give.
#include "app/pull_time_exclusion.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "policy/parse.hpp"
#include "support/use_case_fixture.hpp"

namespace regsweep {
namespace {

using ::testing::HasSubstr;

TEST(ExclusionPrincipal, AnAssumedRoleSessionIsItsRoleAUserItself) {
  EXPECT_EQ(exclusion_principal("arn:aws:sts::111111111111:assumed-role/cleanup/session-1"),
            "arn:aws:iam::111111111111:role/cleanup");
  EXPECT_EQ(exclusion_principal("arn:aws-cn:sts::111111111111:assumed-role/r/s"),
            "arn:aws-cn:iam::111111111111:role/r");
  EXPECT_EQ(exclusion_principal("arn:aws:iam::111111111111:user/ci/deployer"),
            "arn:aws:iam::111111111111:user/ci/deployer");
  EXPECT_EQ(exclusion_principal("arn:aws:iam::111111111111:root"), std::nullopt);
  EXPECT_EQ(exclusion_principal("arn:aws:sts::111111111111:federated-user/bob"), std::nullopt);
  EXPECT_EQ(exclusion_principal("not an arn"), std::nullopt);
}

class Exclusions : public ::testing::Test {
 protected:
  Exclusions() : registry(f.add_registry("us-east-1")) {
    f.opened()[0].caller_arn = [] {
      return Result<std::string>(std::string("arn:aws:sts::111111111111:assumed-role/rs/s1"));
    };
  }
  testing::UseCaseFixture f;
  testing::FakeRegistry& registry;
};

TEST_F(Exclusions, AddIsIdempotentRemoveUndoesCheckOnlyLooks) {
  const std::string role = "arn:aws:iam::111111111111:role/rs";
  auto results = setup_pull_time_exclusion(f.opened(), {ExclusionChange::check, ""});
  EXPECT_EQ(results[0].state, ExclusionState::not_registered);
  EXPECT_TRUE(registry.exclusions.empty());
  results = setup_pull_time_exclusion(f.opened(), {ExclusionChange::add, ""});
  EXPECT_EQ(results[0].state, ExclusionState::registered);
  EXPECT_EQ(results[0].principal, role);
  EXPECT_EQ(registry.exclusions, std::set<std::string>{role});
  results = setup_pull_time_exclusion(f.opened(), {ExclusionChange::add, ""});
  EXPECT_EQ(results[0].state, ExclusionState::already);
  EXPECT_EQ(registry.calls("register_pull_time_exclusion").size(), 1u);
  results = setup_pull_time_exclusion(f.opened(), {ExclusionChange::remove, ""});
  EXPECT_EQ(results[0].state, ExclusionState::removed);
  EXPECT_TRUE(registry.exclusions.empty());
  results = setup_pull_time_exclusion(
      f.opened(), {ExclusionChange::add, "arn:aws:iam::111111111111:role/path/rs"});
  EXPECT_EQ(registry.exclusions, std::set<std::string>{"arn:aws:iam::111111111111:role/path/rs"});
}

TEST_F(Exclusions, PlanAndApplyWarnOnceWhenAPullTimePolicyWouldCountTheirReads) {
  auto pulled = parse_policy(R"({"rules":[{"rulePriority":1,"selection":{"tagStatus":"any",
    "countType":"sinceImagePulled","countUnit":"days","countNumber":30},
    "action":{"type":"transition","targetStorageClass":"archive"}}]})",
                             "p.json");
  ASSERT_TRUE(pulled.ok()) << pulled.error().message;
  auto pushed = parse_policy(R"({"rules":[{"rulePriority":1,"selection":{"tagStatus":"any",
    "countType":"sinceImagePushed","countUnit":"days","countNumber":30},
    "action":{"type":"expire"}}]})",
                             "p.json");
  ASSERT_TRUE(pushed.ok());
  warn_if_pulls_count(f.opened(), *pushed, f.events);
  EXPECT_TRUE(f.events.warnings.empty());
  warn_if_pulls_count(f.opened(), *pulled, f.events);
  ASSERT_EQ(f.events.warnings.size(), 1u);
  EXPECT_THAT(f.events.warnings[0], HasSubstr("not a pull-time update exclusion in us-east-1"));
  EXPECT_THAT(f.events.warnings[0], HasSubstr("regsweep setup pull-time-exclusion"));
  setup_pull_time_exclusion(f.opened(), {ExclusionChange::add, ""});
  f.events.warnings.clear();
  warn_if_pulls_count(f.opened(), *pulled, f.events);
  EXPECT_TRUE(f.events.warnings.empty());
}

}  // namespace
}  // namespace regsweep
