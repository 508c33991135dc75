// Semantic comparison of lifecycle policies, for `policy put/diff`: rule order, formatting, key
// order and the order of tag lists do not count; everything ECR would evaluate differently does.
// Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "policy/policy.hpp"

namespace regsweep {

enum class PolicyChange { unchanged, create, update };

struct PolicyDiff {
  PolicyChange change = PolicyChange::unchanged;
  // Human-readable lines, e.g. "- rule 2: keep the 10 newest images tagged prod*" and
  // "+ rule 2: keep the 20 newest images tagged prod*". Empty when unchanged.
  std::vector<std::string> lines;
};

std::string_view to_string(PolicyChange change);  // "unchanged", "create", "update"

// `current` is the repository's installed policy (nullopt when it has none).
PolicyDiff diff_policies(const std::optional<Policy>& current, const Policy& wanted);

// True when the two policies are the same to ECR (descriptions included: they are stored text).
bool equivalent(const Policy& a, const Policy& b);

// One line describing a rule: "rule 2: expire untagged images pushed more than 14 days ago".
std::string describe_rule(const Rule& rule);

}  // namespace regsweep
