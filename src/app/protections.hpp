// regsweep's protections as a use case sees them (ARCHITECTURE.md, "Safety rules"): what is in use
// — in-use files (`regsweep inuse scan --output-file`), keep files, `kubectl ... -o json` files,
// live clusters through a kubeconfig or the pod's own service account — and the guards (min age,
// delete limits, never emptying a repository). Every input is read completely when the
// protections are loaded, before anything is listed; one that cannot be read or parsed is an
// error, never an empty protection (docs/inuse.md: "always: stop").
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "inuse/in_use.hpp"
#include "plan/plan.hpp"
#include "util/result.hpp"

namespace regsweep {

// How messages name the inputs: the CLI's flags (the default), or a config's keys.
struct ProtectionInputNames {
  const char* in_use = "--in-use";
  const char* keep_files = "--keep-file";
  const char* kubernetes_json = "--kubernetes-json";
  const char* kubeconfig = "--kubeconfig";
  const char* context = "--context";
};

struct ProtectionInputs {
  std::vector<std::string> in_use_files;
  std::vector<std::string> keep_files;  // a file, or a directory of them (a mounted ConfigMap)
  std::vector<std::string> kubernetes_json;
  std::vector<std::string> kubeconfigs;
  std::string kube_context;  // with kubeconfigs: this context instead of current-context
  bool in_cluster = false;
  EpochMillis min_age = 3'600'000;  // 1h
  std::optional<std::uint64_t> max_delete;
  std::optional<double> max_delete_percent;
  bool allow_empty = false;
  ProtectionInputNames names;
};

// The merged in-use set, its index, and each repository's resolved digests (filled lazily: the
// planner asks once per repository). Thread-safe.
class LoadedProtections {
 public:
  explicit LoadedProtections(InUseSet set) : m_set(std::move(set)), m_index(m_set) {}

  // digest -> why it is in use, for `repo` (stays valid as long as this object).
  const std::unordered_map<std::string, std::string>* in_use_for(const Repository& repo);
  // In-use references of a planned repository that matched no image ("REPO: REF (SOURCE):
  // why"): a typo in a keep file or an image deleted by hand.
  std::vector<std::string> unresolved();
  bool empty() const { return m_set.entries.empty(); }

 private:
  InUseSet m_set;
  InUseIndex m_index;
  std::mutex m_mutex;
  std::map<std::string, std::unordered_map<std::string, std::string>> m_by_repository;
  std::set<std::string> m_unresolved;  // sorted and deduplicated
};

// Reads every in-use input (files, then clusters) and fills plan_options.protection (the guards)
// and plan_options.in_use_for, which points into the returned object: keep it alive as long as
// the plan options.
Result<std::shared_ptr<LoadedProtections>> load_protections(const ProtectionInputs& inputs,
                                                            PlanOptions& plan_options);

}  // namespace regsweep
