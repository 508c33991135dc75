#include "app/protections.hpp"

#include "inuse/in_use_file.hpp"
#include "inuse/kubernetes_sources.hpp"
#include "inuse/source.hpp"

namespace regsweep {

const std::unordered_map<std::string, std::string>* LoadedProtections::in_use_for(
    const Repository& repo) {
  std::lock_guard lock(m_mutex);
  auto& slot = m_by_repository[repo.registry_id + "/" + repo.region + "/" + repo.name];
  const RepositoryInUse resolved = m_index.resolve(location_of(repo), repo.images);
  for (const auto& [digest, entry] : resolved.in_use) {
    std::string why;
    for (const auto& reason : entry.reasons) why += (why.empty() ? "" : "; ") + reason;
    slot.emplace(digest, why);
  }
  for (const auto& u : resolved.unresolved) {
    m_unresolved.insert(repo.name + ": " + u.raw + " (" + u.source + "): " + u.reason);
  }
  return &slot;
}

std::vector<std::string> LoadedProtections::unresolved() {
  std::lock_guard lock(m_mutex);
  return {m_unresolved.begin(), m_unresolved.end()};
}

Result<std::shared_ptr<LoadedProtections>> load_protections(const ProtectionInputs& inputs,
                                                            PlanOptions& plan_options) {
  const ProtectionInputNames& names = inputs.names;
  ProtectionOptions& p = plan_options.protection;
  p.min_age = inputs.min_age;
  p.allow_empty = inputs.allow_empty;
  p.max_delete = inputs.max_delete;
  p.max_delete_percent = inputs.max_delete_percent;

  InUseSet set;
  const auto merge = [&](Result<InUseSet> parsed) -> Status {
    if (!parsed.ok()) return std::move(parsed).take_error();
    merge_in_use(set, *parsed);
    return ok_status();
  };
  const auto read_each = [&](const char* what, const std::vector<std::string>& paths,
                             InUseParser parse) -> Status {
    for (const auto& path : paths) {
      auto merged = merge(read_in_use_files(what, path, parse));
      if (!merged.ok()) return merged;
    }
    return ok_status();
  };
  if (auto s = read_each(names.in_use, inputs.in_use_files, parse_in_use_json); !s.ok())
    return std::move(s).take_error();
  if (auto s = read_each(names.keep_files, inputs.keep_files, parse_keep_file); !s.ok())
    return std::move(s).take_error();
  if (auto s = read_each(names.kubernetes_json, inputs.kubernetes_json, parse_kubernetes_json);
      !s.ok())
    return std::move(s).take_error();

  if (!inputs.kube_context.empty() && inputs.kubeconfigs.empty()) {
    return make_error(
        ErrorCode::invalid_input,
        std::string(names.context) + ": names a context of a kubeconfig; add " + names.kubeconfig);
  }
  std::vector<Result<std::unique_ptr<InUseSource>>> clusters;
  for (const auto& path : inputs.kubeconfigs)
    clusters.push_back(open_kubeconfig_source(names.kubeconfig, path, inputs.kube_context));
  if (inputs.in_cluster) clusters.push_back(open_in_cluster_source());
  for (auto& cluster : clusters) {
    if (!cluster.ok()) return std::move(cluster).take_error();
    auto merged = merge((*cluster)->collect());
    if (!merged.ok()) return std::move(merged).take_error();
  }

  auto loaded = std::make_shared<LoadedProtections>(std::move(set));
  plan_options.in_use_for = nullptr;
  if (!loaded->empty()) {
    plan_options.in_use_for = [loaded](const Repository& repo) { return loaded->in_use_for(repo); };
  }
  return loaded;
}

}  // namespace regsweep
