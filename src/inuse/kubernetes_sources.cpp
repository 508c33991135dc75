#include "inuse/kubernetes_sources.hpp"

#include <algorithm>
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

std::vector<std::string> split_kubeconfig_paths(const std::string& paths) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= paths.size()) {
    const auto end = std::min(paths.find(':', start), paths.size());
    if (end > start) out.push_back(paths.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

Result<std::vector<std::string>> default_kubeconfig_paths(std::string_view what,
                                                          const char* kubeconfig_env,
                                                          const char* home) {
  if (kubeconfig_env != nullptr) {
    auto paths = split_kubeconfig_paths(kubeconfig_env);
    if (!paths.empty()) return paths;
  }
  if (home == nullptr || *home == '\0')
    return make_error(ErrorCode::invalid_input,
                      std::string(what) +
                          " (no path: kubectl's default): KUBECONFIG is not set and HOME is not "
                          "set either; fix: pass --kubeconfig PATH");
  return std::vector<std::string>{std::string(home) + "/.kube/config"};
}

Result<std::unique_ptr<InUseSource>> open_kubeconfig_source(std::string_view what,
                                                            const std::string& paths,
                                                            const std::string& context) {
  Result<std::vector<std::string>> files = split_kubeconfig_paths(paths);
  if (paths.empty())
    files = default_kubeconfig_paths(what, std::getenv("KUBECONFIG"), std::getenv("HOME"));
  if (!files) return files.error();
  if (files->empty())
    return make_error(ErrorCode::invalid_input,
                      std::string(what) + " \"" + paths +
                          "\": names no file; fix: a path, or several joined by ':'");
  std::vector<KubeconfigText> texts;
  for (const auto& path : *files) {
    // Every file must be there: one missing from the list might be the one with the cluster.
    auto text = read_input_file(what, path, k_config_max_bytes);
    if (!text) return text.error();
    const auto slash = path.rfind('/');
    texts.push_back(
        {path, slash == std::string::npos ? "." : path.substr(0, slash), std::move(*text)});
  }
  return open_api(parse_kubeconfigs(texts, context));
}

Result<std::unique_ptr<InUseSource>> open_in_cluster_source() {
  return open_api(in_cluster_access(std::getenv("KUBERNETES_SERVICE_HOST"),
                                    std::getenv("KUBERNETES_SERVICE_PORT"),
                                    k_service_account_directory));
}

}  // namespace regsweep
