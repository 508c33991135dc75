#include "registry/selected_registry.hpp"

#include "registry/forwarding_registry.hpp"
#include "util/glob.hpp"

namespace regsweep {
namespace {

class SelectedRegistry final : public ForwardingRegistry {
 public:
  SelectedRegistry(Registry& inner, RepositorySelection selection, SelectionWitness* witness)
      : ForwardingRegistry(inner), m_selection(std::move(selection)), m_witness(witness) {}

  // A loaded inventory holds unselected repositories too: listed through list_repositories().
  std::shared_ptr<const Inventory> loaded_inventory() const override { return nullptr; }

  Result<std::vector<RepositoryInfo>> list_repositories() override {
    auto all = inner().list_repositories();
    if (!all.ok()) {
      if (m_witness) m_witness->listing_failed();
      return all;
    }
    std::vector<RepositoryInfo> selected;
    for (auto& repository : *all) {
      if (m_witness) {
        for (const auto& glob : m_selection.include)
          if (repository_selected({glob}, repository.name)) m_witness->saw(glob);
      }
      if (m_selection.matches(repository.name)) selected.push_back(std::move(repository));
    }
    return selected;
  }

  Result<std::vector<ImageRecord>> list_images(const std::string& repository) override {
    if (auto refused = refuse(repository)) return *refused;
    return inner().list_images(repository);
  }

  Result<std::vector<ImageRecord>> describe_images(
      const std::string& repository, const std::vector<std::string>& digests) override {
    if (auto refused = refuse(repository)) return *refused;
    return inner().describe_images(repository, digests);
  }

  Result<std::map<std::string, std::string>> get_manifests(
      const std::string& repository, const std::vector<std::string>& digests) override {
    if (auto refused = refuse(repository)) return *refused;
    return inner().get_manifests(repository, digests);
  }

  Result<DeleteOutcome> delete_images(const std::string& repository,
                                      const std::vector<ImageId>& ids) override {
    if (auto refused = refuse(repository)) return *refused;
    return inner().delete_images(repository, ids);
  }

  Result<std::optional<std::string>> get_lifecycle_policy(const std::string& repository) override {
    if (auto refused = refuse(repository)) return *refused;
    return inner().get_lifecycle_policy(repository);
  }

  Status put_lifecycle_policy(const std::string& repository,
                              const std::string& policy_text) override {
    if (auto refused = refuse(repository)) return *refused;
    return inner().put_lifecycle_policy(repository, policy_text);
  }

  Status delete_lifecycle_policy(const std::string& repository) override {
    if (auto refused = refuse(repository)) return *refused;
    return inner().delete_lifecycle_policy(repository);
  }

  Result<ImageStatus> update_storage_class(const std::string& repository, const std::string& digest,
                                           StorageClass target) override {
    if (auto refused = refuse(repository)) return *refused;
    return inner().update_storage_class(repository, digest, target);
  }

  Status put_image(const std::string& repository, const std::string& manifest,
                   const std::string& media_type, const std::string& tag) override {
    if (auto refused = refuse(repository)) return *refused;
    return inner().put_image(repository, manifest, media_type, tag);
  }

 private:
  RepositorySelection m_selection;
  SelectionWitness* m_witness;

  // A defensive second line: callers only ever name listed repositories.
  std::optional<Error> refuse(const std::string& repository) const {
    if (m_selection.matches(repository)) return std::nullopt;
    return make_error(ErrorCode::invalid_input,
                      describe() + ": " + repository +
                          ": excluded by the repository selection; nothing is done there");
  }
};

}  // namespace

bool RepositorySelection::matches(const std::string& repository) const {
  return !include.empty() && repository_selected(include, repository) &&
         (exclude.empty() || !repository_selected(exclude, repository));
}

void SelectionWitness::saw(const std::string& glob) {
  std::lock_guard lock(m_mutex);
  m_matched.insert(glob);
}

void SelectionWitness::listing_failed() {
  std::lock_guard lock(m_mutex);
  m_listing_failed = true;
}

std::vector<std::string> SelectionWitness::unmatched(const RepositorySelection& selection) const {
  std::lock_guard lock(m_mutex);
  std::vector<std::string> out;
  if (m_listing_failed) return out;
  for (const auto& glob : selection.include) {
    if (glob.find_first_not_of('*') != std::string::npos && !m_matched.count(glob))
      out.push_back(glob);
  }
  return out;
}

std::unique_ptr<Registry> select_repositories(Registry& inner, RepositorySelection selection,
                                              SelectionWitness* witness) {
  return std::make_unique<SelectedRegistry>(inner, std::move(selection), witness);
}

}  // namespace regsweep
