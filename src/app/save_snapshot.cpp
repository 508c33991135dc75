#include "app/save_snapshot.hpp"

#include "registry/snapshot/snapshot_registry.hpp"
#include "registry/snapshot/snapshot_writer.hpp"

namespace regsweep {

Result<std::shared_ptr<const Inventory>> save_registry_snapshot(Registry& registry,
                                                                const SnapshotRequest& request,
                                                                Events& events) {
  ScanOptions scan;
  scan.repository_globs = request.repository_globs;
  scan.concurrency = request.concurrency;
  scan.on_progress = [&](std::size_t done, std::size_t total) {
    events.progress({Progress::Phase::listing, "", done, total, 0, 0});
  };
  auto inventory = scan_registry(registry, scan);
  if (!inventory.ok()) return std::move(inventory).take_error();
  auto saved = save_snapshot(**inventory, request.path);
  if (!saved.ok()) return std::move(saved).take_error();
  return inventory;
}

void keep_loaded_inventories_until_exit() {
  SnapshotRegistry::keep_inventories_until_exit();
}

}  // namespace regsweep
