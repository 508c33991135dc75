// Small builders for policy-engine tests: images named by letter with tags and an age, policies
// from JSON text that must parse. `k_test_now` is fixed so no test depends on the clock.
#pragma once

#include <string>
#include <vector>

#include "model/image.hpp"
#include "policy/policy.hpp"

namespace regsweep::testing {

constexpr EpochMillis k_test_now = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
constexpr EpochMillis k_hour = 3'600'000;
constexpr EpochMillis k_day = 24 * k_hour;

// An active image "sha256:<name>" pushed `age` before k_test_now.
ImageRecord image(const std::string& name, std::vector<std::string> tags, EpochMillis age);
// The policy in `json`; fails the current test (and returns an empty policy) if it does not parse.
Policy policy_from(const std::string& json);
// Names (digest without "sha256:") of the images whose verdict is not keep, in input order.
std::vector<std::string> acted_on(const std::vector<ImageRecord>& images, const Policy& policy,
                                  EpochMillis now = k_test_now);

}  // namespace regsweep::testing
