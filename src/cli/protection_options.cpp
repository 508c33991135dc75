#include "cli/protection_options.hpp"

#include <CLI/CLI.hpp>
#include <iostream>
#include <mutex>
#include <set>

#include "cli/cli_support.hpp"
#include "cli/kubernetes_sources.hpp"
#include "cli/number_flags.hpp"
#include "inuse/in_use.hpp"
#include "inuse/in_use_file.hpp"
#include "inuse/source.hpp"

namespace regsweep::cli {

// The merged in-use set, its index, and each repository's resolved digests (filled lazily: the
// planner asks once per repository).
class LoadedProtections {
 public:
  explicit LoadedProtections(InUseSet set) : m_set(std::move(set)), m_index(m_set) {}

  const std::unordered_map<std::string, std::string>* in_use_for(const Repository& repo) {
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

  std::vector<std::string> unresolved() {
    std::lock_guard lock(m_mutex);
    return {m_unresolved.begin(), m_unresolved.end()};
  }

  bool empty() const { return m_set.entries.empty(); }

 private:
  InUseSet m_set;
  InUseIndex m_index;
  std::mutex m_mutex;
  std::map<std::string, std::unordered_map<std::string, std::string>> m_by_repository;
  std::set<std::string> m_unresolved;  // sorted and deduplicated: the same note per repository
};

void add_protection_options(CLI::App& sub, ProtectionFlags& flags) {
  const char* group = "Protections";
  sub.add_option("--in-use", flags.in_use_files,
                 "Keep the images of this in-use file (regsweep inuse scan -o); repeatable")
      ->group(group);
  sub.add_option("--keep-file", flags.keep_files,
                 "Keep these image URIs, tags or digests, one per line; repeatable")
      ->group(group);
  sub.add_option(
         "--kubernetes-json", flags.kubernetes_json,
         "Keep the images of `kubectl get pods,deployments,... -A -o json` output; repeatable")
      ->group(group);
  sub.add_option("--kubeconfig", flags.kubeconfigs,
                 "Keep the images the workloads of this kubeconfig's cluster run (read now); "
                 "repeatable")
      ->group(group);
  sub.add_option("--context", flags.kube_context,
                 "With --kubeconfig: this context instead of current-context")
      ->group(group);
  sub.add_flag("--in-cluster", flags.in_cluster,
               "Keep the images the workloads of the cluster regsweep runs in run (a pod's "
               "service account)")
      ->group(group);
  sub.add_option("--min-age", flags.min_age,
                 "Keep images younger than this, untagged ones included (default 1h)")
      ->group(group);
  sub.add_option("--max-delete", flags.max_delete,
                 "Leave a repository alone if it would lose more than N images")
      ->group(group)
      ->check(finite_at_least(0));
  sub.add_option("--max-delete-percent", flags.max_delete_percent,
                 "Leave a repository alone if it would lose more than P% of its images")
      ->group(group)
      ->check(finite_between(0, 100));
  sub.add_flag("--allow-empty", flags.allow_empty, "Allow deleting every image of a repository")
      ->group(group);
}

Result<std::shared_ptr<LoadedProtections>> load_protections(const ProtectionFlags& flags,
                                                            PlanOptions& plan_options,
                                                            const ProtectionInputNames& names) {
  const auto min_age = parse_duration(flags.min_age);
  if (!min_age) {
    return make_error(ErrorCode::invalid_input,
                      "--min-age: \"" + flags.min_age +
                          "\" is not a duration; write e.g. 1h, 36h, 7d (0s disables)");
  }
  ProtectionOptions& p = plan_options.protection;
  p.min_age = *min_age;
  p.allow_empty = flags.allow_empty;
  if (flags.max_delete >= 0) p.max_delete = static_cast<std::uint64_t>(flags.max_delete);
  if (flags.max_delete_percent >= 0) p.max_delete_percent = flags.max_delete_percent;

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
  if (auto s = read_each(names.in_use, flags.in_use_files, parse_in_use_json); !s.ok())
    return std::move(s).take_error();
  if (auto s = read_each(names.keep_files, flags.keep_files, parse_keep_file); !s.ok())
    return std::move(s).take_error();
  if (auto s = read_each(names.kubernetes_json, flags.kubernetes_json, parse_kubernetes_json);
      !s.ok())
    return std::move(s).take_error();

  if (!flags.kube_context.empty() && flags.kubeconfigs.empty()) {
    return make_error(ErrorCode::invalid_input,
                      "--context: names a context of a kubeconfig; add --kubeconfig FILE");
  }
  std::vector<Result<std::unique_ptr<InUseSource>>> clusters;
  for (const auto& path : flags.kubeconfigs)
    clusters.push_back(open_kubeconfig_source(names.kubeconfig, path, flags.kube_context));
  if (flags.in_cluster) clusters.push_back(open_in_cluster_source());
  for (auto& cluster : clusters) {
    if (!cluster.ok()) return std::move(cluster).take_error();
    auto merged = merge((*cluster)->collect());
    if (!merged.ok()) return std::move(merged).take_error();
  }

  auto loaded = std::make_shared<LoadedProtections>(std::move(set));
  if (!loaded->empty()) {
    plan_options.in_use_for = [loaded](const Repository& repo) { return loaded->in_use_for(repo); };
  }
  return loaded;
}

void report_unresolved(const std::shared_ptr<LoadedProtections>& loaded,
                       const std::string& command) {
  if (!loaded) return;
  const auto notes = loaded->unresolved();
  if (notes.empty()) return;
  std::cerr << "regsweep " << command << ": " << notes.size()
            << " in-use references match no image here (nothing to protect for them; check for "
               "a typo or a deleted image):\n";
  for (const auto& note : notes) std::cerr << "  " << note << '\n';
}

}  // namespace regsweep::cli
