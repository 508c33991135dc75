#include "support/policy_fixtures.hpp"

#include <gtest/gtest.h>

#include "policy/evaluate.hpp"
#include "policy/parse.hpp"

namespace regsweep::testing {

ImageRecord image(const std::string& name, std::vector<std::string> tags, EpochMillis age) {
  ImageRecord record;
  record.digest = "sha256:" + name;
  record.tags = std::move(tags);
  record.pushed_at = k_test_now - age;
  record.size_bytes = 100'000'000;
  return record;
}

Policy policy_from(const std::string& json) {
  auto parsed = parse_policy(json, "test-policy.json");
  if (!parsed) {
    ADD_FAILURE() << "policy did not parse:\n" << parsed.error().message;
    return {};
  }
  return std::move(parsed).value();
}

std::vector<std::string> acted_on(const std::vector<ImageRecord>& images, const Policy& policy,
                                  EpochMillis now) {
  const auto verdicts = evaluate_policy(policy, images, now);
  std::vector<std::string> names;
  for (std::size_t i = 0; i < images.size(); ++i) {
    if (verdicts[i].action != VerdictAction::keep) names.push_back(images[i].digest.substr(7));
  }
  return names;
}

}  // namespace regsweep::testing
