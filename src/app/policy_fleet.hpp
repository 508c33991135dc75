// Lifecycle policies across a fleet (issue 5): compare, install and delete one policy on many
// repositories of many registries (accounts x regions), concurrently. Every registry is reached
// through the Registry interface, so tests use fakes and the CLI passes ECR backends.
//
// Safety: the policy is validated by the caller (a Policy value is always valid). Nothing is
// written unless `write` is set. A repository whose current policy cannot be read is reported
// failed and left alone. After writing, the repository list is read again and any repository that
// appeared during the run and matches the globs is reported, so none is missed silently.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/concurrency.hpp"
#include "policy/diff.hpp"
#include "policy/policy.hpp"
#include "registry/registry.hpp"
#include "registry/selected_registry.hpp"

namespace regsweep {

struct FleetTarget {
  std::string label;  // "123456789012/eu-west-1" — how reports name the registry
  Registry* registry = nullptr;
};

struct FleetOptions {
  RepositorySelection repositories;
  bool write = false;  // put/delete for real (--yes)
  int concurrency = k_default_concurrency;
};

enum class FleetOutcome { unchanged, would_change, changed, failed };
std::string_view to_string(FleetOutcome outcome);

struct RepositoryPolicyResult {
  std::string target;
  std::string repository;
  PolicyChange change =
      PolicyChange::unchanged;  // create / update / unchanged ("delete" uses update)
  FleetOutcome outcome = FleetOutcome::unchanged;
  std::vector<std::string> diff;
  std::string error;  // failed: why
};

struct FleetReport {
  std::vector<RepositoryPolicyResult> results;  // sorted by target, repository
  std::vector<std::string> listing_errors;  // "target: why" for registries that could not be listed
  std::vector<std::string> appeared_during_run;  // "target/repository"
  std::size_t count(FleetOutcome outcome) const;
  std::size_t count(PolicyChange change) const;
  bool any_failed() const { return count(FleetOutcome::failed) > 0 || !listing_errors.empty(); }
};

// policy put / policy diff: compare each repository's installed policy with `wanted`; with
// options.write, PutLifecyclePolicy(`wanted_text`) where it differs.
FleetReport put_policy_fleet(const std::vector<FleetTarget>& targets, const Policy& wanted,
                             const std::string& wanted_text, const FleetOptions& options);

// policy delete: remove the installed policy where there is one.
FleetReport delete_policy_fleet(const std::vector<FleetTarget>& targets,
                                const FleetOptions& options);

// policy get: each repository's installed policy text (nullopt: none).
struct InstalledPolicy {
  std::string target;
  std::string repository;
  std::optional<std::string> text;
  std::string error;  // could not be read
};
std::vector<InstalledPolicy> get_policies_fleet(const std::vector<FleetTarget>& targets,
                                                const FleetOptions& options,
                                                std::vector<std::string>& listing_errors);

}  // namespace regsweep
