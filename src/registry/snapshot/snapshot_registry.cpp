#include "registry/snapshot/snapshot_registry.hpp"

#include <atomic>
#include <mutex>
#include <unordered_set>

#include "registry/snapshot/snapshot_reader.hpp"

namespace regsweep {

Result<std::unique_ptr<SnapshotRegistry>> SnapshotRegistry::open(const std::string& path) {
  auto inventory = load_snapshot(path);
  if (!inventory.ok()) return std::move(inventory).take_error();
  return std::make_unique<SnapshotRegistry>(path, std::move(inventory).value());
}

SnapshotRegistry::SnapshotRegistry(std::string name, Inventory inventory)
    : m_name(std::move(name)),
      m_inventory(std::make_shared<const Inventory>(std::move(inventory))) {}

namespace {

std::atomic<bool> g_keep_until_exit{false};

// Never destroyed (not even by static destructors at exit), and reachable from a static pointer.
std::vector<std::shared_ptr<const Inventory>>& parked_inventories() {
  static auto* parked = new std::vector<std::shared_ptr<const Inventory>>();
  return *parked;
}

}  // namespace

void SnapshotRegistry::keep_inventories_until_exit() {
  g_keep_until_exit = true;
}

SnapshotRegistry::~SnapshotRegistry() {
  if (!g_keep_until_exit || !m_inventory) return;
  static std::mutex mutex;
  const std::lock_guard lock(mutex);
  parked_inventories().push_back(std::move(m_inventory));
}

std::string SnapshotRegistry::describe() const {
  return "snapshot " + m_name;
}

Result<const Repository*> SnapshotRegistry::find(const std::string& repository) const {
  for (const auto& repo : m_inventory->repositories) {
    if (repo.name == repository) return &repo;
  }
  return make_error(ErrorCode::not_found,
                    describe() + ": repository \"" + repository +
                        "\" is not in the snapshot; check the name or take a new snapshot");
}

Error SnapshotRegistry::read_only(std::string_view what) const {
  return make_error(
      ErrorCode::invalid_input,
      describe() + ": cannot " + std::string(what) +
          ": a snapshot is read-only; run against the registry itself (--region/--endpoint-url)");
}

Result<std::vector<RepositoryInfo>> SnapshotRegistry::list_repositories() {
  std::vector<RepositoryInfo> out;
  out.reserve(m_inventory->repositories.size());
  for (const auto& repo : m_inventory->repositories)
    out.push_back({repo.name, repo.registry_id, ""});
  return out;
}

Result<std::vector<ImageRecord>> SnapshotRegistry::list_images(const std::string& repository) {
  auto repo = find(repository);
  if (!repo.ok()) return std::move(repo).take_error();
  return (*repo)->images;
}

Result<std::vector<ImageRecord>> SnapshotRegistry::describe_images(
    const std::string& repository, const std::vector<std::string>& digests) {
  auto repo = find(repository);
  if (!repo.ok()) return std::move(repo).take_error();
  const std::unordered_set<std::string> wanted(digests.begin(), digests.end());
  std::vector<ImageRecord> out;
  for (const auto& image : (*repo)->images) {
    if (wanted.count(image.digest) != 0) out.push_back(image);
  }
  return out;
}

Result<DeleteOutcome> SnapshotRegistry::delete_images(const std::string&,
                                                      const std::vector<ImageId>&) {
  return read_only("delete images");
}

Result<std::optional<std::string>> SnapshotRegistry::get_lifecycle_policy(
    const std::string& repository) {
  auto repo = find(repository);
  if (!repo.ok()) return std::move(repo).take_error();
  return std::optional<std::string>();
}

Status SnapshotRegistry::put_lifecycle_policy(const std::string&, const std::string&) {
  return read_only("put a lifecycle policy");
}

Status SnapshotRegistry::delete_lifecycle_policy(const std::string&) {
  return read_only("delete a lifecycle policy");
}

}  // namespace regsweep
