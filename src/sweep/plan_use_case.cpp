#include "sweep/plan_use_case.hpp"

namespace regsweep {

PlanRun plan_inventory(std::shared_ptr<const Inventory> inventory, const Policy& policy,
                       const PlanOptions& options) {
  PlanRun run;
  run.inventory = std::move(inventory);
  run.plan = build_plan(*run.inventory, policy, options);
  return run;
}

Result<PlanRun> plan_registry(Registry& registry, const Policy& policy, const PlanOptions& options,
                              const ScanOptions& scan_options) {
  ScanOptions scan = scan_options;
  if (scan.repository_globs.empty()) scan.repository_globs = options.repository_globs;
  auto inventory = scan_registry(registry, scan);
  if (!inventory.ok()) return std::move(inventory).take_error();
  return plan_inventory(std::move(inventory).value(), policy, options);
}

}  // namespace regsweep
