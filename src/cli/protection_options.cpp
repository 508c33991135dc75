// The flags of regsweep's protections (app/protections.hpp): declared once for plan, apply,
// delete and policy preview.
#include "cli/protection_options.hpp"

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/number_flags.hpp"
#include "util/printable.hpp"
#include "util/time.hpp"

namespace regsweep::cli {

void add_protection_options(CLI::App& sub, ProtectionFlags& flags) {
  const char* group = "Protections";
  sub.add_option(
         "--in-use", flags.in_use_files,
         "Keep the images of this in-use file (regsweep inuse scan --output-file); repeatable")
      ->group(group);
  sub.add_option("--keep-file", flags.keep_files,
                 "Keep these image URIs, tags or digests, one per line; repeatable")
      ->group(group);
  sub.add_option(
         "--kubernetes-json", flags.kubernetes_json,
         "Keep the images of `kubectl get pods,deployments,... -A -o json` output; repeatable")
      ->group(group);
  add_kubeconfig_option(sub,
                        "Keep the images the workloads of this kubeconfig's cluster run (read "
                        "now); several files joined by ':' are merged as kubectl merges them; no "
                        "path: $KUBECONFIG, else ~/.kube/config; repeatable",
                        flags.kubeconfigs)
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

CLI::Option* add_kubeconfig_option(CLI::App& sub, const std::string& description,
                                   std::vector<std::string>& kubeconfigs) {
  // An occurrence without a value is recorded as "": kubectl's default files
  // (inuse/kubernetes_sources.hpp). One value per occurrence, so the next word is never taken.
  return sub.add_option("--kubeconfig", kubeconfigs, description)
      ->expected(0, 1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->default_str("")
      ->allow_extra_args(false);
}

Result<ProtectionInputs> protection_inputs(const ProtectionFlags& flags) {
  const auto min_age = parse_duration(flags.min_age);
  if (!min_age) {
    return make_error(ErrorCode::invalid_input,
                      "--min-age: \"" + flags.min_age +
                          "\" is not a duration; write e.g. 1h, 36h, 7d (0s disables)");
  }
  ProtectionInputs inputs;
  inputs.in_use_files = flags.in_use_files;
  inputs.keep_files = flags.keep_files;
  inputs.kubernetes_json = flags.kubernetes_json;
  inputs.kubeconfigs = flags.kubeconfigs;
  inputs.kube_context = flags.kube_context;
  inputs.in_cluster = flags.in_cluster;
  inputs.min_age = *min_age;
  if (flags.max_delete >= 0) inputs.max_delete = static_cast<std::uint64_t>(flags.max_delete);
  if (flags.max_delete_percent >= 0) inputs.max_delete_percent = flags.max_delete_percent;
  inputs.allow_empty = flags.allow_empty;
  return inputs;
}

void report_unresolved(const std::vector<std::string>& notes, const std::string& command) {
  if (notes.empty()) return;
  std::cerr << "regsweep " << command << ": " << notes.size()
            << " in-use references match no image here (nothing to protect for them; check for "
               "a typo or a deleted image):\n";
  for (const auto& note : notes) std::cerr << "  " << printable(note) << '\n';
}

}  // namespace regsweep::cli
