// The Kubernetes API server as an in-use source, opened from a kubeconfig (its context's cluster
// and user: token, tokenFile or an exec plugin) or from inside a pod (its service account). Used
// by `inuse scan` and by the protections of plan, apply and run (--kubeconfig, --in-cluster).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "inuse/source.hpp"
#include "util/result.hpp"

namespace regsweep {

// `context` empty: the kubeconfig's current-context.
Result<std::unique_ptr<InUseSource>> open_kubeconfig_source(std::string_view what,
                                                            const std::string& path,
                                                            const std::string& context);

// The cluster this process runs in (KUBERNETES_SERVICE_HOST/PORT and the service account mount).
Result<std::unique_ptr<InUseSource>> open_in_cluster_source();

}  // namespace regsweep
