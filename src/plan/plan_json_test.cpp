// The plan document writer: one plan, and several sections (policy preview) joined into one valid
// document whose repositories carry their own policy and source.
#include "plan/plan_json.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/policy_fixtures.hpp"

namespace regsweep {
namespace {

using testing::image;
using testing::k_day;
using testing::k_test_now;

const char* k_policy = R"({"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged",
  "countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}]})";

Inventory inventory(int repositories) {
  Inventory out;
  for (int r = 0; r < repositories; ++r) {
    out.repositories.push_back(Repository{"repo" + std::to_string(r),
                                          "111111111111",
                                          "eu-west-1",
                                          {image("old" + std::to_string(r), {}, 30 * k_day),
                                           image("v" + std::to_string(r), {"v"}, k_day)}});
  }
  return out;
}

TEST(PlanDocument, SectionsJoinIntoOneDocumentWithEachRepositorysPolicyAndSource) {
  const Policy policy = testing::policy_from(k_policy);
  const Policy none;
  const Inventory first = inventory(3), second = inventory(2);
  PlanOptions options;
  options.now = k_test_now;
  options.protect = false;
  const Plan a = build_plan(first, policy, options), b = build_plan(second, none, options);
  PlanDocument document;
  document.source = "installed lifecycle policies";
  document.now = k_test_now;
  document.sections.push_back({&a, &policy, to_policy_json(policy), "111111111111/eu-west-1"});
  document.sections.push_back({&b, &none, std::string("null"), "222222222222/eu-west-1"});
  document.skipped_registries.push_back({"333333333333/eu-west-1", "listing failed"});
  std::string text;
  render_plan_document(document, [&](std::string_view chunk) { text += chunk; });
  const auto parsed = nlohmann::json::parse(text);  // throws on invalid JSON
  ASSERT_EQ(parsed["repositories"].size(), 5u);
  EXPECT_TRUE(parsed["policy"].is_null());
  EXPECT_EQ(parsed["repositories"][0]["policy"]["rules"].size(), 1u);
  EXPECT_EQ(parsed["repositories"][0]["source"], "111111111111/eu-west-1");
  EXPECT_TRUE(parsed["repositories"][4]["policy"].is_null());
  EXPECT_EQ(parsed["repositories"][4]["source"], "222222222222/eu-west-1");
  EXPECT_EQ(parsed["schemaVersion"], 2);
  EXPECT_EQ(parsed["skippedRegistries"][0]["label"], "333333333333/eu-west-1");
}

}  // namespace
}  // namespace regsweep
