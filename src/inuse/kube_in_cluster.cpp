// The pod's service account -> KubeAccess (see kube_in_cluster.hpp).
#include "inuse/kube_in_cluster.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace regsweep {
namespace {

const char* const k_fix = "run inside a pod with a service account, or use --kubeconfig";

Error in_cluster_error(const std::string& problem, const std::string& fix = k_fix) {
  return make_error(ErrorCode::invalid_input, "kubernetes in-cluster: " + problem + "; " + fix);
}

Result<std::string> read_whole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return in_cluster_error(path + ": cannot read (" + std::strerror(errno) + ")");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string trimmed(std::string text) {
  const auto not_space = [](char c) { return c != ' ' && c != '\n' && c != '\r' && c != '\t'; };
  while (!text.empty() && !not_space(text.back())) text.pop_back();
  std::size_t start = 0;
  while (start < text.size() && !not_space(text[start])) ++start;
  return text.substr(start);
}

}  // namespace

Result<KubeAccess> in_cluster_access(const char* host, const char* port,
                                     const std::string& directory) {
  const std::string host_text = host ? host : "";
  const std::string port_text = port ? port : "";
  if (host_text.empty() || port_text.empty()) {
    std::string missing = host_text.empty() ? "KUBERNETES_SERVICE_HOST" : "";
    if (port_text.empty())
      missing += std::string(missing.empty() ? "" : " and ") + "KUBERNETES_SERVICE_PORT";
    return in_cluster_error(missing + " not set");
  }
  if (port_text.find_first_not_of("0123456789") != std::string::npos || port_text.size() > 5) {
    return in_cluster_error("KUBERNETES_SERVICE_PORT '" + port_text + "' is not a port number",
                            "check the pod's environment");
  }
  KubeAccess access;
  access.context = "in-cluster";
  // An IPv6 address goes in brackets in a URL.
  const bool ipv6 = host_text.find(':') != std::string::npos && host_text.front() != '[';
  access.server = "https://" + (ipv6 ? "[" + host_text + "]" : host_text) + ":" + port_text;
  auto token = read_whole(directory + "/token");
  if (!token) return token.error();
  const std::string value = trimmed(std::move(*token));
  if (value.empty()) return in_cluster_error(directory + "/token: empty");
  access.token = Secret(value);
  // Read once to fail here, with a clear message, rather than inside the TLS handshake.
  auto ca = read_whole(directory + "/ca.crt");
  if (!ca) return ca.error();
  if (ca->find("-----BEGIN CERTIFICATE-----") == std::string::npos)
    return in_cluster_error(directory + "/ca.crt: no PEM certificate in it");
  access.ca_file = directory + "/ca.crt";
  return access;
}

}  // namespace regsweep
