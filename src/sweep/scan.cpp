#include "sweep/scan.hpp"

#include "plan/plan.hpp"
#include "registry/snapshot/snapshot_registry.hpp"

namespace regsweep {
namespace {

// The fast path: the snapshot's own Inventory, shared when nothing is filtered out.
std::shared_ptr<const Inventory> scan_snapshot(const SnapshotRegistry& snapshot,
                                               const ScanOptions& options) {
  std::shared_ptr<const Inventory> all = snapshot.inventory();
  bool every_repository = true;
  for (const auto& repo : all->repositories) {
    every_repository = every_repository && repository_selected(options.repository_globs, repo.name);
  }
  if (every_repository) return all;
  auto subset = std::make_shared<Inventory>();
  for (const auto& repo : all->repositories) {
    if (repository_selected(options.repository_globs, repo.name))
      subset->repositories.push_back(repo);
  }
  return subset;
}

}  // namespace

Result<std::shared_ptr<const Inventory>> scan_registry(Registry& registry,
                                                       const ScanOptions& options) {
  if (const auto* snapshot = dynamic_cast<const SnapshotRegistry*>(&registry)) {
    auto inventory = scan_snapshot(*snapshot, options);
    if (options.on_progress)
      options.on_progress(inventory->repositories.size(), inventory->repositories.size());
    return inventory;
  }
  auto repositories = registry.list_repositories();
  if (!repositories.ok()) return std::move(repositories).take_error();
  std::vector<RepositoryInfo> selected;
  for (auto& info : *repositories) {
    if (repository_selected(options.repository_globs, info.name))
      selected.push_back(std::move(info));
  }
  auto inventory = std::make_shared<Inventory>();
  std::size_t done = 0;
  for (const auto& info : selected) {
    auto images = registry.list_images(info.name);
    if (images.ok()) {
      inventory->repositories.push_back(
          Repository{info.name, info.registry_id, "", std::move(images).value()});
    } else {
      inventory->skipped.push_back({info.name, images.error().message});
    }
    if (options.on_progress) options.on_progress(++done, selected.size());
  }
  return std::shared_ptr<const Inventory>(std::move(inventory));
}

}  // namespace regsweep
