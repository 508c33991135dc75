#include "inuse/kubernetes_sources.hpp"

#include <cstdlib>

#include "inuse/kube_in_cluster.hpp"
#include "inuse/kubernetes_api.hpp"
#include "util/input_file.hpp"

namespace regsweep {
namespace {

Result<std::unique_ptr<InUseSource>> open_api(Result<KubeAccess> access) {
  if (!access) return access.error();
  auto http = make_kubernetes_http(*access);
  if (!http) return http.error();
  return make_kubernetes_api_source(std::move(access).value(), std::move(http).value());
}

}  // namespace

Result<std::unique_ptr<InUseSource>> open_kubeconfig_source(std::string_view what,
                                                            const std::string& path,
                                                            const std::string& context) {
  auto text = read_input_file(what, path, k_config_max_bytes);
  if (!text) return text.error();
  const auto slash = path.rfind('/');
  const std::string base = slash == std::string::npos ? "." : path.substr(0, slash);
  return open_api(parse_kubeconfig(*text, path, context, base));
}

Result<std::unique_ptr<InUseSource>> open_in_cluster_source() {
  return open_api(in_cluster_access(std::getenv("KUBERNETES_SERVICE_HOST"),
                                    std::getenv("KUBERNETES_SERVICE_PORT"),
                                    k_service_account_directory));
}

}  // namespace regsweep
