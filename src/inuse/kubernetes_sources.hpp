// The Kubernetes API server as an in-use source, opened from a kubeconfig (its context's cluster
// and user: token, tokenFile or an exec plugin) or from inside a pod (its service account). Used
// by `inuse scan` and by the protections of plan, apply and run (--kubeconfig, --in-cluster).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "inuse/source.hpp"
#include "util/result.hpp"

namespace regsweep {

// `paths`: a kubeconfig file, or several joined by ':' (as in KUBECONFIG), merged as kubectl
// merges them; every file must exist. Empty: kubectl's default — the files of $KUBECONFIG, or
// ~/.kube/config when it is unset or empty. `context` empty: the (merged) current-context.
Result<std::unique_ptr<InUseSource>> open_kubeconfig_source(std::string_view what,
                                                            const std::string& paths,
                                                            const std::string& context);

// "a:b::c" -> {a, b, c}. Exposed for tests.
std::vector<std::string> split_kubeconfig_paths(const std::string& paths);
// kubectl's default list from the values of KUBECONFIG and HOME (either may be null). Exposed
// for tests.
Result<std::vector<std::string>> default_kubeconfig_paths(std::string_view what,
                                                          const char* kubeconfig_env,
                                                          const char* home);

// The cluster this process runs in (KUBERNETES_SERVICE_HOST/PORT and the service account mount).
Result<std::unique_ptr<InUseSource>> open_in_cluster_source();

}  // namespace regsweep
