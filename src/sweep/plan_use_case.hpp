// The plan use case: scan a Registry, then evaluate the policy over what was listed. The same steps
// run for `plan` (preview) and `apply` (which deletes from this Plan afterwards), so the two can
// never disagree about what a policy does.
#pragma once

#include <memory>

#include "plan/plan.hpp"
#include "policy/policy.hpp"
#include "registry/registry.hpp"
#include "sweep/scan.hpp"

namespace regsweep {

// A Plan together with the Inventory it points into (kept alive here).
struct PlanRun {
  std::shared_ptr<const Inventory> inventory;
  Plan plan;
};

PlanRun plan_inventory(std::shared_ptr<const Inventory> inventory, const Policy& policy,
                       const PlanOptions& options);

// Fails only when the repositories cannot be listed at all; failed repositories end up in
// plan.skipped.
Result<PlanRun> plan_registry(Registry& registry, const Policy& policy, const PlanOptions& options,
                              const ScanOptions& scan_options = {});

}  // namespace regsweep
