#include "app/scan.hpp"

#include "plan/plan.hpp"
#include "util/parallel.hpp"

#include <mutex>

namespace regsweep {
namespace {

// The fast path: a registry's own loaded Inventory (a snapshot's), shared when nothing is
// filtered out.
std::shared_ptr<const Inventory> scan_loaded(std::shared_ptr<const Inventory> all,
                                             const ScanOptions& options) {
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
  if (auto loaded = registry.loaded_inventory()) {
    auto inventory = scan_loaded(std::move(loaded), options);
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
  // Listed concurrently, each into its own slot, so the Inventory keeps the listing's order.
  std::vector<Result<std::vector<ImageRecord>>> listings(selected.size(), Error{});
  std::mutex progress_mutex;
  std::size_t done = 0;
  parallel_for(selected.size(), options.concurrency, [&](std::size_t i) {
    listings[i] = registry.list_images(selected[i].name);
    if (options.on_progress) {
      std::lock_guard lock(progress_mutex);
      options.on_progress(++done, selected.size());
    }
  });
  auto inventory = std::make_shared<Inventory>();
  for (std::size_t i = 0; i < selected.size(); ++i) {
    const auto& info = selected[i];
    if (listings[i].ok()) {
      inventory->repositories.push_back(
          Repository{info.name, info.registry_id, "", std::move(listings[i]).value()});
    } else {
      inventory->skipped.push_back({info.name, listings[i].error().message});
    }
  }
  return std::shared_ptr<const Inventory>(std::move(inventory));
}

}  // namespace regsweep
