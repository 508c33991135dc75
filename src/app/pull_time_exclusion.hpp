// Pull times left alone (issue 13). ECR updates an image's lastRecordedPullTime on every pull, and
// a manifest read (BatchGetImage) is a pull: regsweep reads the manifests of image indexes (to
// protect their children) and of images right before deleting them (for the journal). Under a
// policy with a sinceImagePulled rule, an image regsweep looked at would look freshly pulled — to
// ECR's lifecycle and to regsweep's next plan. ECR's pull-time update exclusions (an IAM role or
// user ARN, per account and region, at most 100) make a principal's pulls not count.
//
// setup_pull_time_exclusion registers the caller (or --principal-arn) in every opened registry,
// idempotently; removes it with `remove`; only reports with `check`. warn_if_pulls_count tells
// plan/apply, once, when a policy reads pull times and the caller is not excluded.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/events.hpp"
#include "app/registry_sources.hpp"
#include "policy/policy.hpp"

namespace regsweep {

// The IAM principal an exclusion names for a caller ARN (STS GetCallerIdentity): an assumed-role
// session arn:aws:sts::A:assumed-role/R/S -> arn:aws:iam::A:role/R (the role's path, if it has
// one, is not in the session ARN; ECR matches the role by name — pass --principal-arn with the
// path if yours differs); an IAM user's ARN as it is. Unset for anything else (the account root,
// federated users), which ECR cannot exclude.
std::optional<std::string> exclusion_principal(const std::string& caller_arn);

enum class ExclusionChange { check, add, remove };

struct ExclusionRequest {
  ExclusionChange change = ExclusionChange::add;
  std::string principal_arn;  // empty: each registry's caller (exclusion_principal)
};

enum class ExclusionState {
  registered,      // add: newly registered
  already,         // add: was registered before; check: is registered
  removed,         // remove: was registered, is no longer
  not_registered,  // remove: was not registered; check: is not registered
  failed,
};

struct ExclusionResult {
  std::string registry;  // the opened registry's label
  std::string principal;
  ExclusionState state = ExclusionState::failed;
  std::string error;  // failed: why
};

std::vector<ExclusionResult> setup_pull_time_exclusion(const std::vector<OpenedRegistry>& opened,
                                                       const ExclusionRequest& request);

std::string_view to_string(ExclusionState state);  // "registered", "already", ...

// Whether any rule of `policy` reads pull times (countType sinceImagePulled).
bool reads_pull_times(const Policy& policy);

// For plan and apply: when `policy` reads pull times, asks each live registry whether its caller
// is excluded and warns once, naming the registries where it is not (or where it cannot be told,
// with why) and the fix. Nothing when the policy does not read pull times or for snapshots.
void warn_if_pulls_count(const std::vector<OpenedRegistry>& opened, const Policy& policy,
                         Events& events);

}  // namespace regsweep
