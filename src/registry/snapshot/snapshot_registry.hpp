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

  std::shared_ptr<const Inventory> inventory() const { return m_inventory; }

  std::string describe() const override;
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
