// Kubernetes through its API server, found in a kubeconfig: the current context (or --context)
// gives the cluster (server URL, CA) and the user (bearer token). Every workload list is read
// across namespaces with pagination (`limit` + `continue`) and fed to parse_kubernetes_json, so the
// API path and the `kubectl get -o json` path see images the same way.
//
// Supported credentials: `token`, `tokenFile` and `exec` plugins (kube_exec.hpp; EKS's
// `aws eks get-token`), client certificates (`client-certificate`/`client-key` files or their
// `-data` forms), and the in-cluster service account (kube_in_cluster.hpp). auth-provider and
// basic auth are refused with a message saying to use `kubectl get ... -o json` instead (fail
// closed: a scan that cannot authenticate must not look like an empty cluster). The token and
// the client key are Secrets: they never reach messages.
// `insecure-skip-tls-verify` is refused as well. Parsing a kubeconfig never runs its plugin; the
// source runs it when it collects.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "http/http_client.hpp"
#include "inuse/kube_exec.hpp"
#include "inuse/source.hpp"
#include "util/secret.hpp"

namespace regsweep {

struct KubeAccess {
  std::string context;  // the context used, for the source names
  std::string server;   // https://host:6443 (http:// only for loopback test servers)
  std::string ca_pem;   // certificate-authority-data decoded, or the certificate-authority file's
  std::string ca_file;  // certificate-authority path (when given as a path)
  Secret token;
  std::string client_certificate_pem;  // the user's client certificate, PEM; "" when none
  Secret client_key_pem;               // its private key, PEM
  // The user's exec plugin, when it has one and no token: run by the source to get the token.
  std::optional<KubeExecConfig> exec;
};

// Parses a kubeconfig (YAML). `context` empty: current-context. `name` labels errors; relative
// file paths in it (and an exec command with a '/' in it, as kubectl does) are resolved against
// `base_directory`.
Result<KubeAccess> parse_kubeconfig(std::string_view yaml, const std::string& name,
                                    const std::string& context, const std::string& base_directory);

// Several kubeconfig files merged as kubectl merges $KUBECONFIG (kubeconfig.cpp): a name in
// clusters, users or contexts is taken from the first file that has it, current-context from the
// first file that sets it, relative paths against each file's own folder. Errors are named by the
// files joined with ':'.
struct KubeconfigText {
  std::string path;       // names it in messages
  std::string directory;  // its folder, for its relative paths
  std::string text;
};
Result<KubeAccess> parse_kubeconfigs(const std::vector<KubeconfigText>& files,
                                     const std::string& context);

// The workload kinds read, as API paths across all namespaces.
const std::vector<std::string>& kubernetes_workload_paths();

// `http` must trust access' CA (see make_kubernetes_http). Every list call must succeed. With
// access.exec, the plugin runs first, once per collect().
std::unique_ptr<InUseSource> make_kubernetes_api_source(KubeAccess access,
                                                        std::shared_ptr<HttpClient> http,
                                                        int page_size = 500);

// An HttpClient for the cluster: its CA (written to a private temporary file when it came as
// data), the user's client certificate (in memory), plain http allowed only for loopback servers
// (HttpClient's own rule).
Result<std::shared_ptr<HttpClient>> make_kubernetes_http(const KubeAccess& access);

}  // namespace regsweep
