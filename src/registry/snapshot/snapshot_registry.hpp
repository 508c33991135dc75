// A snapshot file as a read-only Registry: listings come from the file, loaded once. Deleting and
// writing lifecycle policies fail with invalid_input ("a snapshot is read-only"); a snapshot holds
// no lifecycle policies, so get_lifecycle_policy() answers "none". The loaded Inventory is shared
// (inventory()), so that planning a million images does not copy them (see sweep/scan.hpp).
#pragma once

#include <memory>
#include <string>

#include "registry/registry.hpp"

namespace regsweep {

class SnapshotRegistry final : public Registry {
 public:
  // Loads the file; errors name the file, line, column and JSON path.
  static Result<std::unique_ptr<SnapshotRegistry>> open(const std::string& path);
  SnapshotRegistry(std::string name, Inventory inventory);
  ~SnapshotRegistry() override;

  // For one-shot processes (the CLI's main calls it once): a snapshot's Inventory is then not freed
  // when the last SnapshotRegistry holding it goes, but parked until the process exits. Freeing a
  // million images one allocation at a time costs about a tenth of a whole `plan`; the OS takes the
  // memory back at exit for free. The parked inventories stay reachable from a static, so leak
  // checkers (LSan) do not report them. Off by default, so tests and long-lived callers free as
  // usual.
  static void keep_inventories_until_exit();

  std::shared_ptr<const Inventory> inventory() const { return m_inventory; }
  std::shared_ptr<const Inventory> loaded_inventory() const override { return m_inventory; }

  std::string describe() const override;
  Result<RegistryIdentity> identity() override {
    return RegistryIdentity{RegistryKind::snapshot, "", ""};
  }
  Result<std::vector<RepositoryInfo>> list_repositories() override;
  Result<std::vector<ImageRecord>> list_images(const std::string& repository) override;
  Result<std::vector<ImageRecord>> describe_images(
      const std::string& repository, const std::vector<std::string>& digests) override;
  Result<DeleteOutcome> delete_images(const std::string& repository,
                                      const std::vector<ImageId>& ids) override;
  Result<std::optional<std::string>> get_lifecycle_policy(const std::string& repository) override;
  Status put_lifecycle_policy(const std::string& repository,
                              const std::string& policy_text) override;
  Status delete_lifecycle_policy(const std::string& repository) override;

 private:
  Result<const Repository*> find(const std::string& repository) const;
  Error read_only(std::string_view what) const;

  std::string m_name;
  std::shared_ptr<const Inventory> m_inventory;
};

}  // namespace regsweep
