// The flags of regsweep's protections, shared by plan and apply (issue 6): what is in use
// (--in-use files from `regsweep inuse scan`, --keep-file, --kubernetes-json, and live clusters:
// --kubeconfig [--context], --in-cluster) and the guards
// (--min-age, --max-delete, --max-delete-percent, --allow-empty). Any in-use input that cannot be
// read or parsed is an error (app/protections.hpp): never a deletion without the protection asked
// for.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "app/protections.hpp"
#include "util/result.hpp"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace regsweep::cli {

struct ProtectionFlags {
  std::vector<std::string> in_use_files;
  std::vector<std::string> keep_files;
  std::vector<std::string> kubernetes_json;
  // Live clusters, read when the protections are loaded: a kubeconfig's context (empty: its
  // current-context), and the cluster regsweep runs in.
  std::vector<std::string> kubeconfigs;
  std::string kube_context;
  bool in_cluster = false;
  std::string min_age = "1h";
  std::int64_t max_delete = -1;    // < 0: no limit
  double max_delete_percent = -1;  // < 0: no limit
  bool allow_empty = false;
};

// --kubeconfig [PATH[:PATH...]], repeatable; a bare --kubeconfig adds "".
CLI::Option* add_kubeconfig_option(CLI::App& sub, const std::string& description,
                                   std::vector<std::string>& kubeconfigs);

void add_protection_options(CLI::App& sub, ProtectionFlags& flags);

// The flags as the use cases take them; invalid_input for a --min-age that is not a duration.
Result<ProtectionInputs> protection_inputs(const ProtectionFlags& flags);

// After planning: lists on stderr the in-use references (a tag or digest in a repository that
// was planned) that matched no image, so a typo in a keep file or a stale manifest is visible.
void report_unresolved(const std::vector<std::string>& notes, const std::string& command);

}  // namespace regsweep::cli
