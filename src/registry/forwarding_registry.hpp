// A Registry that passes every call to another one: the base of wrappers that change a few calls
// (registry/selected_registry.hpp refuses unselected repositories) and of test fakes that inject
// a fault into one call of a real or fake registry. Override what differs; the rest forwards.
#pragma once

#include "registry/registry.hpp"

namespace regsweep {

class ForwardingRegistry : public Registry {
 public:
  explicit ForwardingRegistry(Registry& inner) : m_inner(inner) {}

  std::string describe() const override { return m_inner.describe(); }
  Result<RegistryIdentity> identity() override { return m_inner.identity(); }
  std::shared_ptr<const Inventory> loaded_inventory() const override {
    return m_inner.loaded_inventory();
  }
  Result<std::vector<RepositoryInfo>> list_repositories() override {
    return m_inner.list_repositories();
  }
  Result<std::vector<ImageRecord>> list_images(const std::string& repository) override {
    return m_inner.list_images(repository);
  }
  Result<std::vector<ImageRecord>> describe_images(
      const std::string& repository, const std::vector<std::string>& digests) override {
    return m_inner.describe_images(repository, digests);
  }
  Result<std::map<std::string, std::string>> get_manifests(
      const std::string& repository, const std::vector<std::string>& digests) override {
    return m_inner.get_manifests(repository, digests);
  }
  Result<DeleteOutcome> delete_images(const std::string& repository,
                                      const std::vector<ImageId>& ids) override {
    return m_inner.delete_images(repository, ids);
  }
  Result<std::optional<std::string>> get_lifecycle_policy(const std::string& repository) override {
    return m_inner.get_lifecycle_policy(repository);
  }
  Status put_lifecycle_policy(const std::string& repository,
                              const std::string& policy_text) override {
    return m_inner.put_lifecycle_policy(repository, policy_text);
  }
  Status delete_lifecycle_policy(const std::string& repository) override {
    return m_inner.delete_lifecycle_policy(repository);
  }
  Result<ImageStatus> update_storage_class(const std::string& repository, const std::string& digest,
                                           StorageClass target) override {
    return m_inner.update_storage_class(repository, digest, target);
  }
  Status put_image(const std::string& repository, const std::string& manifest,
                   const std::string& media_type, const std::string& tag) override {
    return m_inner.put_image(repository, manifest, media_type, tag);
  }
  Result<std::vector<std::string>> pull_time_exclusions() override {
    return m_inner.pull_time_exclusions();
  }
  Status register_pull_time_exclusion(const std::string& principal_arn) override {
    return m_inner.register_pull_time_exclusion(principal_arn);
  }
  Status deregister_pull_time_exclusion(const std::string& principal_arn) override {
    return m_inner.deregister_pull_time_exclusion(principal_arn);
  }

 protected:
  Registry& inner() { return m_inner; }
  const Registry& inner() const { return m_inner; }

 private:
  Registry& m_inner;
};

}  // namespace regsweep
