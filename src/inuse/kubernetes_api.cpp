// The paginated workload lists and the cluster's HttpClient (see kubernetes_api.hpp); the
// kubeconfig reader is kubeconfig.cpp.
#include "inuse/kubernetes_api.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "aws/sigv4.hpp"

namespace regsweep {
namespace {

class KubernetesApiSource final : public InUseSource {
 public:
  KubernetesApiSource(KubeAccess access, std::shared_ptr<HttpClient> http, int page_size)
      : m_access(std::move(access)), m_http(std::move(http)), m_page_size(page_size) {}

  Result<InUseSet> collect() override {
    if (m_access.exec) {
      auto token =
          run_exec_plugin(*m_access.exec, KubeExecCluster{m_access.server, m_access.ca_pem});
      if (!token) return token.error();
      m_access.token = std::move(*token);
    }
    InUseSet all;
    for (const auto& path : kubernetes_workload_paths()) {
      std::string continue_token;
      int page = 0;
      do {
        ++page;
        const std::string where =
            "kubernetes " + m_access.context + " GET " + path + " page " + std::to_string(page);
        HttpRequest request;
        request.url = m_access.server + path + "?limit=" + std::to_string(m_page_size);
        if (!continue_token.empty())
          request.url += "&continue=" + aws_uri_encode(continue_token, false);
        request.headers.push_back({"Accept", "application/json"});
        if (!m_access.token.empty())
          request.headers.push_back({"Authorization", "Bearer " + m_access.token.reveal()});
        auto response = m_http->send(request);
        if (!response) {
          return make_error(response.error().code,
                            where + ": " + response.error().message +
                                "; the in-use scan fails rather than miss running images");
        }
        if (response->status != 200) {
          const ErrorCode code = response->status == 401   ? ErrorCode::unauthorized
                                 : response->status == 403 ? ErrorCode::forbidden
                                 : response->status >= 500 ? ErrorCode::transient
                                                           : ErrorCode::invalid_input;
          return make_error(code, where + ": HTTP " + std::to_string(response->status) + ": " +
                                      message_of(response->body) +
                                      "; check the kubeconfig's user can list " + path);
        }
        auto parsed = parse_kubernetes_json(response->body, where);
        if (!parsed) return parsed.error();
        for (auto& entry : parsed->entries) all.entries.push_back(std::move(entry));
        for (auto& problem : parsed->problems) all.problems.push_back(std::move(problem));
        continue_token = continue_of(response->body);
      } while (!continue_token.empty());
    }
    all.sources.push_back("kubernetes api " + m_access.context);
    return all;
  }

 private:
  static std::string continue_of(const std::string& body) {
    const auto doc = nlohmann::json::parse(body, nullptr, false);
    if (!doc.is_object()) return {};
    const auto meta = doc.find("metadata");
    if (meta == doc.end() || !meta->is_object()) return {};
    const auto token = meta->find("continue");
    return token != meta->end() && token->is_string() ? token->get<std::string>() : std::string();
  }

  static std::string message_of(const std::string& body) {
    const auto doc = nlohmann::json::parse(body, nullptr, false);
    if (doc.is_object() && doc.contains("message") && doc["message"].is_string())
      return doc["message"].get<std::string>().substr(0, 300);
    return body.substr(0, 200);
  }

  KubeAccess m_access;
  std::shared_ptr<HttpClient> m_http;
  int m_page_size;
};

// An HttpClient that owns the temporary CA file it was made with.
class CaFileClient final : public HttpClient {
 public:
  CaFileClient(std::unique_ptr<HttpClient> inner, std::string ca_path)
      : m_inner(std::move(inner)), m_ca_path(std::move(ca_path)) {}
  ~CaFileClient() override { ::unlink(m_ca_path.c_str()); }
  Result<HttpResponse> send(const HttpRequest& request) override { return m_inner->send(request); }

 private:
  std::unique_ptr<HttpClient> m_inner;
  std::string m_ca_path;
};

}  // namespace

const std::vector<std::string>& kubernetes_workload_paths() {
  static const std::vector<std::string> paths = {"/api/v1/pods",
                                                 "/apis/apps/v1/deployments",
                                                 "/apis/apps/v1/statefulsets",
                                                 "/apis/apps/v1/daemonsets",
                                                 "/apis/apps/v1/replicasets",
                                                 "/apis/batch/v1/jobs",
                                                 "/apis/batch/v1/cronjobs"};
  return paths;
}

std::unique_ptr<InUseSource> make_kubernetes_api_source(KubeAccess access,
                                                        std::shared_ptr<HttpClient> http,
                                                        int page_size) {
  return std::make_unique<KubernetesApiSource>(std::move(access), std::move(http),
                                               std::max(1, page_size));
}

Result<std::shared_ptr<HttpClient>> make_kubernetes_http(const KubeAccess& access) {
  HttpOptions options;
  options.client_certificate_pem = access.client_certificate_pem;
  options.client_key_pem = access.client_key_pem;
  if (access.ca_pem.empty()) {
    options.ca_bundle = access.ca_file;
    return std::shared_ptr<HttpClient>(make_curl_client(options));
  }
  const char* tmp = std::getenv("TMPDIR");
  std::string path = std::string(tmp && *tmp ? tmp : "/tmp") + "/regsweep-kube-ca-XXXXXX";
  const int fd = ::mkstemp(path.data());  // mode 0600
  if (fd < 0) return make_error(ErrorCode::internal, "kubernetes: cannot write the CA to " + path);
  const bool written = ::write(fd, access.ca_pem.data(), access.ca_pem.size()) ==
                       static_cast<ssize_t>(access.ca_pem.size());
  ::close(fd);
  if (!written) {
    ::unlink(path.c_str());
    return make_error(ErrorCode::internal, "kubernetes: cannot write the CA to " + path);
  }
  options.ca_bundle = path;
  return std::shared_ptr<HttpClient>(
      std::make_shared<CaFileClient>(make_curl_client(options), path));
}

}  // namespace regsweep
