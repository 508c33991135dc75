// The plan use case: scan a Registry, then evaluate the policy over what was listed. The same steps
// run for `plan` (preview) and `apply` (which deletes from this Plan afterwards), so the two can
// never disagree about what a policy does. plan_fleet() does the same for several registries
// (accounts x regions) and merges their plans into one, for one report and one set of totals.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/scan.hpp"
#include "plan/plan.hpp"
#include "policy/policy.hpp"
#include "registry/registry.hpp"

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

struct LabelledRegistry {
  std::string label;  // "111111111111/eu-west-1": how reports name it
  Registry* registry = nullptr;
  std::string region;  // stamped on the listed repositories when set (reports name it)
};

// One registry's share of a fleet plan. Its repository plans are moved into FleetPlan::merged (no
// copy of a million verdicts): they are merged.repositories[first, first + count). `listing_error`
// is set when its repositories could not be listed at all; it is then reported skipped whole.
struct RegistryPlan {
  std::string label;
  Registry* registry = nullptr;
  PlanRun run;  // keeps the Inventory alive; run.plan keeps its totals and skipped list
  std::string listing_error;
  std::size_t first = 0;
  std::size_t count = 0;
};

struct FleetPlan {
  std::vector<RegistryPlan> registries;
  // Registries whose repositories could not be listed at all ("LABEL", the reason): nothing of
  // them is planned. Kept apart from merged.skipped, which names repositories.
  std::vector<SkippedRepository> unlisted;
  // Every repository of every registry, in registry order, pointing into the registries' runs;
  // totals over all. Skipped repositories are named "LABEL/REPOSITORY" when there are several
  // registries.
  Plan merged;
};

// Plans the registries one after another (each scans its repositories concurrently).
FleetPlan plan_fleet(const std::vector<LabelledRegistry>& registries, const Policy& policy,
                     const PlanOptions& options, const ScanOptions& scan_options = {});

// Moves the registries' plans into fleet.merged (called by plan_fleet; exposed for callers that
// plan each registry themselves, e.g. with per-repository policies). Call once.
void merge_fleet_plan(FleetPlan& fleet, const PlanOptions& options);

}  // namespace regsweep
