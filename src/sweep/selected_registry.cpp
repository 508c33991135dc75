#include "sweep/selected_registry.hpp"

namespace regsweep {
namespace {

class SelectedRegistry final : public Registry {
 public:
  SelectedRegistry(Registry& inner, RepositorySelection selection)
      : m_inner(inner), m_selection(std::move(selection)) {}

  std::string describe() const override { return m_inner.describe(); }
  Result<RegistryIdentity> identity() override { return m_inner.identity(); }

  Result<std::vector<RepositoryInfo>> list_repositories() override {
    auto all = m_inner.list_repositories();
    if (!all.ok()) return all;
    std::vector<RepositoryInfo> selected;
    for (auto& repository : *all) {
      if (m_selection.matches(repository.name)) selected.push_back(std::move(repository));
    }
    return selected;
  }

  Result<std::vector<ImageRecord>> list_images(const std::string& repository) override {
    if (auto refused = refuse(repository)) return *refused;
    return m_inner.list_images(repository);
  }

  Result<std::vector<ImageRecord>> describe_images(
      const std::string& repository, const std::vector<std::string>& digests) override {
    if (auto refused = refuse(repository)) return *refused;
    return m_inner.describe_images(repository, digests);
  }

  Result<std::map<std::string, std::string>> get_manifests(
      const std::string& repository, const std::vector<std::string>& digests) override {
    if (auto refused = refuse(repository)) return *refused;
    return m_inner.get_manifests(repository, digests);
  }

  Result<DeleteOutcome> delete_images(const std::string& repository,
                                      const std::vector<ImageId>& ids) override {
    if (auto refused = refuse(repository)) return *refused;
    return m_inner.delete_images(repository, ids);
  }

  Result<std::optional<std::string>> get_lifecycle_policy(const std::string& repository) override {
    if (auto refused = refuse(repository)) return *refused;
    return m_inner.get_lifecycle_policy(repository);
  }

  Status put_lifecycle_policy(const std::string& repository,
                              const std::string& policy_text) override {
    if (auto refused = refuse(repository)) return *refused;
    return m_inner.put_lifecycle_policy(repository, policy_text);
  }

  Status delete_lifecycle_policy(const std::string& repository) override {
    if (auto refused = refuse(repository)) return *refused;
    return m_inner.delete_lifecycle_policy(repository);
  }

 private:
  Registry& m_inner;
  RepositorySelection m_selection;

  // A defensive second line: callers only ever name listed repositories.
  std::optional<Error> refuse(const std::string& repository) const {
    if (m_selection.matches(repository)) return std::nullopt;
    return make_error(ErrorCode::invalid_input,
                      describe() + ": " + repository +
                          ": excluded by the repository selection; nothing is done there");
  }
};

}  // namespace

std::unique_ptr<Registry> select_repositories(Registry& inner, RepositorySelection selection) {
  return std::make_unique<SelectedRegistry>(inner, std::move(selection));
}

}  // namespace regsweep
