// A lifecycle policy as the user gives it: a file ("-": stdin), read whole (util/input_file) and
// validated exactly as ECR would (policy/parse.hpp) before anything is contacted. The text is kept
// as given, because that is what PutLifecyclePolicy is sent.
#pragma once

#include <string>
#include <string_view>

#include "policy/policy.hpp"
#include "util/result.hpp"

namespace regsweep {

struct PolicyFile {
  std::string text;
  Policy policy;
};

// `what` names the input in messages ("--policy", "policy"); invalid_input on any problem.
Result<PolicyFile> load_policy_file(std::string_view what, const std::string& path);

}  // namespace regsweep
