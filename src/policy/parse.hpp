// Lifecycle policy text -> Policy, rejecting everything ECR rejects ("spec":
// docs/research/ecr-lifecycle-spec.md, §1). Accepts the policy
// document itself or the {"lifecyclePolicyText": "..."} wrapper that `aws ecr
// get-lifecycle-policy` prints (then positions refer to the embedded text).
//
// On failure the error (invalid_input) lists every problem found, one per line:
//   policy.json:4:17: rules[0].selection.countUnit: must be "days"; countUnit is required with
//   sinceImagePushed
// `source_name` is what the messages call the input (a file path, or "<stdin>").
#pragma once

#include <string_view>

#include "policy/policy.hpp"
#include "util/result.hpp"

namespace regsweep {

constexpr std::size_t k_max_policy_chars = 30'720;
constexpr std::size_t k_min_policy_chars = 100;
constexpr std::size_t k_max_rules = 50;
constexpr std::size_t k_max_pattern_wildcards = 4;

Result<Policy> parse_policy(std::string_view text, std::string_view source_name);

}  // namespace regsweep
