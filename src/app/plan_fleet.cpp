#include "app/plan_fleet.hpp"

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

namespace {

// Names the region on every repository of a freshly listed inventory. A shared one (a snapshot's
// own, region-less by nature) is left as it is.
void stamp_region(std::shared_ptr<const Inventory>& inventory, const std::string& region) {
  if (region.empty() || inventory.use_count() != 1) return;
  auto owned = std::const_pointer_cast<Inventory>(inventory);
  for (auto& repository : owned->repositories) repository.region = region;
}

}  // namespace

FleetPlan plan_fleet(const std::vector<LabelledRegistry>& registries, const Policy& policy,
                     const PlanOptions& options, const ScanOptions& scan_options) {
  FleetPlan fleet;
  for (const auto& entry : registries) {
    RegistryPlan registry_plan{entry.label, entry.registry, {}, {}, 0, 0};
    ScanOptions scan = scan_options;
    if (scan.repository_globs.empty()) scan.repository_globs = options.repository_globs;
    auto inventory = scan_registry(*entry.registry, scan);
    if (inventory.ok()) stamp_region(*inventory, entry.region);
    auto run = inventory.ok()
                   ? Result<PlanRun>(plan_inventory(std::move(inventory).value(), policy, options))
                   : Result<PlanRun>(std::move(inventory).take_error());
    if (run.ok()) {
      registry_plan.run = std::move(run).value();
    } else {
      registry_plan.listing_error = run.error().message;
    }
    fleet.registries.push_back(std::move(registry_plan));
  }
  merge_fleet_plan(fleet, options);
  return fleet;
}

void merge_fleet_plan(FleetPlan& fleet, const PlanOptions& options) {
  fleet.unlisted.clear();
  Plan merged;
  merged.now = options.now;
  merged.price_per_gb_month = options.price_per_gb_month;
  merged.archive_price_per_gb_month = options.archive_price_per_gb_month < 0
                                          ? options.price_per_gb_month
                                          : options.archive_price_per_gb_month;
  const bool several = fleet.registries.size() > 1;
  for (auto& entry : fleet.registries) {
    entry.first = merged.repositories.size();
    if (!entry.listing_error.empty()) {
      fleet.unlisted.push_back(
          {entry.label, "listing the repositories failed: " + entry.listing_error});
      continue;
    }
    Plan& plan = entry.run.plan;
    merged.now = plan.now;
    merged.price_per_gb_month = plan.price_per_gb_month;
    merged.archive_price_per_gb_month = plan.archive_price_per_gb_month;
    entry.count = plan.repositories.size();
    for (auto& repository_plan : plan.repositories)
      merged.repositories.push_back(std::move(repository_plan));
    plan.repositories.clear();
    for (const auto& skipped : plan.skipped) {
      merged.skipped.push_back(
          {several ? entry.label + "/" + skipped.name : skipped.name, skipped.reason});
    }
    merged.totals.add(plan.totals);
  }
  fleet.merged = std::move(merged);
}

}  // namespace regsweep
