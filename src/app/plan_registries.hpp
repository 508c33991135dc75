// The plan use case (`plan`, and the first half of `apply` and `run`): scan each registry, evaluate
// the policy, apply regsweep's protections. A live registry is planned as apply would delete from
// it: images fresh by the real clock are kept whatever --now says (plan/protect.hpp); a snapshot
// is planned purely as of --now. Nothing is printed: the front end renders the outcome.
#pragma once

#include <string>
#include <vector>

#include "app/concurrency.hpp"
#include "app/events.hpp"
#include "app/plan_fleet.hpp"
#include "app/registry_sources.hpp"
#include "plan/plan.hpp"
#include "policy/policy.hpp"
#include "util/clock.hpp"

namespace regsweep {

struct PlanRequest {
  PlanOptions plan;  // now, prices, repository globs, protections (app/protections.hpp)
  int concurrency = k_default_concurrency;  // repositories listed at once per registry
};

struct PlanOutcome {
  FleetPlan fleet;
  // --repository-name globs that matched no repository of any registry (a typo); empty when a
  // registry could not be listed (what it would have matched is unknown).
  std::vector<std::string> unmatched_globs;
  // plan/plan_warnings.hpp: children left unprotected by missing manifests, early deletions of
  // archived images. Also told as Events::warn; "warnings" in the plan JSON.
  std::vector<std::string> warnings;
  // Everything planned: no repository skipped, no registry unlisted.
  bool complete() const { return fleet.merged.skipped.empty() && fleet.unlisted.empty(); }
};

// Notes: one per unlisted registry and per unmatched glob.
PlanOutcome plan_registries(const std::vector<OpenedRegistry>& opened, const Policy& policy,
                            const PlanRequest& request, Clock& clock, Events& events);

// The registries as plan_fleet() takes them.
std::vector<LabelledRegistry> labelled(const std::vector<OpenedRegistry>& opened);

}  // namespace regsweep
