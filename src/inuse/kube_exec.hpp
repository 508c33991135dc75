// Kubernetes exec credential plugins (a kubeconfig user's `exec:` section), run as kubectl runs
// them: `command` with `args`, our environment plus `env`, KUBERNETES_EXEC_INFO set to
// {"apiVersion":<apiVersion>,"kind":"ExecCredential","spec":{"interactive":false}} (plus
// spec.cluster when provideClusterInfo), stdin from /dev/null, stderr captured, a timeout. The
// plugin prints an ExecCredential (client.authentication.k8s.io/v1 or v1beta1) whose
// `status.token` becomes the bearer token. EKS kubeconfigs run `aws eks get-token` this way.
//
// Fails closed: a plugin that cannot start, exits non-zero, times out or prints anything but an
// ExecCredential with a token fails the scan. The token is a Secret and never reaches a message;
// nor does the plugin's stdout (it holds the token) or its `env` values.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/result.hpp"
#include "util/secret.hpp"

namespace regsweep {

inline constexpr std::string_view k_exec_api_v1 = "client.authentication.k8s.io/v1";
inline constexpr std::string_view k_exec_api_v1beta1 = "client.authentication.k8s.io/v1beta1";

struct KubeExecConfig {
  std::string where;        // "<kubeconfig>: users.<name>.exec": the start of every message
  std::string api_version;  // k_exec_api_v1 or k_exec_api_v1beta1
  std::string command;      // as run: PATH-searched when it has no '/'
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;
  std::string install_hint;
  bool provide_cluster_info = false;
  std::chrono::milliseconds timeout{60000};
};

// The cluster a plugin may be told about (provideClusterInfo).
struct KubeExecCluster {
  std::string server;
  std::string ca_pem;
};

// KUBERNETES_EXEC_INFO's value.
std::string exec_info_json(const KubeExecConfig& config, const KubeExecCluster& cluster);

// The token of an ExecCredential printed by the plugin; `config` gives the expected apiVersion
// and the start of messages.
Result<Secret> parse_exec_credential(std::string_view output, const KubeExecConfig& config);

// Runs the plugin and parses its answer.
Result<Secret> run_exec_plugin(const KubeExecConfig& config, const KubeExecCluster& cluster);

}  // namespace regsweep
