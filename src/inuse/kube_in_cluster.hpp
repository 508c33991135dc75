// In-cluster configuration: regsweep running in a pod (a Kubernetes CronJob) reads its own
// cluster as kubectl and client-go do. The API server is https://$KUBERNETES_SERVICE_HOST:
// $KUBERNETES_SERVICE_PORT (an IPv6 host in brackets); the pod's service account gives the bearer
// token (<dir>/token) and the cluster CA (<dir>/ca.crt), dir normally
// /var/run/secrets/kubernetes.io/serviceaccount. Anything missing is an error naming it, never an
// anonymous or unverified connection.
#pragma once

#include <string>

#include "inuse/kubernetes_api.hpp"

namespace regsweep {

inline constexpr const char* k_service_account_directory =
    "/var/run/secrets/kubernetes.io/serviceaccount";

// `host` and `port` are the values of KUBERNETES_SERVICE_HOST/PORT (null when unset); the
// directory is a parameter so tests can use their own.
Result<KubeAccess> in_cluster_access(const char* host, const char* port,
                                     const std::string& directory);

}  // namespace regsweep
