// kubeconfig -> KubeAccess, and the paginated workload lists (see kubernetes_api.hpp).
#include "inuse/kubernetes_api.hpp"
#include "aws/sigv4.hpp"
#include "util/base64.hpp"

#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace regsweep {
namespace {

Error kube_error(const std::string& name, const std::string& problem, const std::string& fix) {
  return make_error(ErrorCode::invalid_input, name + ": " + problem + "; " + fix);
}

Result<std::string> read_file(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return make_error(ErrorCode::invalid_input,
                      what + " " + path + ": cannot open; check the kubeconfig's path");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The entry of `list` (clusters, users, contexts) called `name`, its `field` map.
YAML::Node named(const YAML::Node& list, const std::string& name, const char* field) {
  if (!list || !list.IsSequence()) return YAML::Node();
  for (const auto& entry : list) {
    if (entry.IsMap() && entry["name"] && entry["name"].IsScalar() &&
        entry["name"].as<std::string>() == name && entry[field] && entry[field].IsMap())
      return entry[field];
  }
  return YAML::Node();
}

std::string text_of(const YAML::Node& node, const char* key) {
  if (!node || !node.IsMap() || !node[key] || !node[key].IsScalar()) return {};
  return node[key].as<std::string>();
}

std::string resolve(const std::string& path, const std::string& base) {
  return path.empty() || path.front() == '/' || base.empty() ? path : base + "/" + path;
}

// A user's `exec:` section. Only its shape is checked here; nothing runs.
Result<KubeExecConfig> parse_exec(const YAML::Node& exec, const std::string& where,
                                  const std::string& base_directory) {
  KubeExecConfig config;
  config.where = where;
  const auto error = [&](const std::string& field, const std::string& problem,
                         const std::string& fix) {
    return make_error(ErrorCode::invalid_input, where + field + ": " + problem + "; " + fix);
  };
  if (!exec.IsMap()) return error("", "not a map", "fix the kubeconfig");
  config.command = text_of(exec, "command");
  if (config.command.empty()) return error(".command", "missing", "fix the kubeconfig");
  // kubectl resolves a command with a '/' in it against the kubeconfig's directory; a bare
  // name is looked up in PATH.
  if (config.command.find('/') != std::string::npos)
    config.command = resolve(config.command, base_directory);
  config.api_version = text_of(exec, "apiVersion");
  if (config.api_version != k_exec_api_v1 && config.api_version != k_exec_api_v1beta1) {
    return error(".apiVersion",
                 config.api_version.empty() ? "missing" : "'" + config.api_version + "' unknown",
                 "use " + std::string(k_exec_api_v1) + " or " + std::string(k_exec_api_v1beta1));
  }
  if (const auto args = exec["args"]; args && !args.IsNull()) {
    if (!args.IsSequence()) return error(".args", "not a list", "fix the kubeconfig");
    for (const auto& arg : args) {
      if (!arg.IsScalar()) return error(".args", "an entry is not a string", "fix the kubeconfig");
      config.args.push_back(arg.as<std::string>());
    }
  }
  if (const auto env = exec["env"]; env && !env.IsNull()) {
    if (!env.IsSequence()) return error(".env", "not a list", "fix the kubeconfig");
    for (const auto& entry : env) {
      const std::string name = text_of(entry, "name");
      if (name.empty() || name.find('=') != std::string::npos)
        return error(".env", "an entry has no valid name", "give each entry a name and a value");
      config.env.emplace_back(name, text_of(entry, "value"));
    }
  }
  if (text_of(exec, "interactiveMode") == "Always") {
    return error(".interactiveMode", "Always needs a terminal, and regsweep runs without one",
                 "use IfAvailable or Never with a plugin that can get a token on its own");
  }
  config.install_hint = text_of(exec, "installHint");
  config.provide_cluster_info = text_of(exec, "provideClusterInfo") == "true";
  return config;
}

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

Result<KubeAccess> parse_kubeconfig(std::string_view yaml, const std::string& name,
                                    const std::string& context, const std::string& base_directory) {
  YAML::Node doc;
  try {
    doc = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return kube_error(name, std::string("not YAML (") + e.what() + ")", "give a kubeconfig file");
  }
  try {
    if (!doc.IsMap()) return kube_error(name, "not a kubeconfig", "give a kubeconfig file");
    KubeAccess access;
    access.context = context.empty() ? text_of(doc, "current-context") : context;
    if (access.context.empty()) {
      return kube_error(name, "no current-context", "pass --context NAME or set one with kubectl");
    }
    const YAML::Node ctx = named(doc["contexts"], access.context, "context");
    if (!ctx || !ctx.IsMap()) {
      return kube_error(name, "contexts: no context named '" + access.context + "'",
                        "pass an existing --context");
    }
    const std::string cluster_name = text_of(ctx, "cluster");
    const std::string user_name = text_of(ctx, "user");
    const YAML::Node cluster = named(doc["clusters"], cluster_name, "cluster");
    if (!cluster || !cluster.IsMap()) {
      return kube_error(name, "clusters: no cluster named '" + cluster_name + "'",
                        "fix the kubeconfig");
    }
    access.server = text_of(cluster, "server");
    while (!access.server.empty() && access.server.back() == '/') access.server.pop_back();
    if (access.server.empty()) {
      return kube_error(name, "clusters." + cluster_name + ".server: missing",
                        "fix the kubeconfig");
    }
    if (text_of(cluster, "insecure-skip-tls-verify") == "true") {
      return kube_error(name, "clusters." + cluster_name + ": insecure-skip-tls-verify",
                        "regsweep always verifies TLS; add the cluster's CA");
    }
    if (const auto data = text_of(cluster, "certificate-authority-data"); !data.empty()) {
      auto pem = base64_decode(data);
      if (!pem) {
        return kube_error(name,
                          "clusters." + cluster_name + ".certificate-authority-data: not base64",
                          "fix the kubeconfig");
      }
      access.ca_pem = *pem;
    } else {
      access.ca_file = resolve(text_of(cluster, "certificate-authority"), base_directory);
    }
    const YAML::Node user = named(doc["users"], user_name, "user");
    if (user && user.IsMap()) {
      if (user["auth-provider"] || user["client-certificate"] || user["client-certificate-data"] ||
          user["username"]) {
        return kube_error(name,
                          "users." + user_name +
                              ": only token, tokenFile and exec credentials are supported here",
                          "run `kubectl get pods,deployments,statefulsets,daemonsets,jobs,cronjobs,"
                          "replicasets -A -o json > k8s.json` and pass --kubernetes-json k8s.json");
      }
      if (const auto token = text_of(user, "token"); !token.empty()) {
        access.token = Secret(token);
      } else if (const auto file = text_of(user, "tokenFile"); !file.empty()) {
        auto token_text = read_file(resolve(file, base_directory), "tokenFile");
        if (!token_text) return token_text.error();
        std::string value = *token_text;
        while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
        access.token = Secret(value);
      } else if (user["exec"]) {
        auto exec =
            parse_exec(user["exec"], name + ": users." + user_name + ".exec", base_directory);
        if (!exec) return exec.error();
        access.exec = std::move(*exec);
      }
    }
    return access;
  } catch (const YAML::Exception& e) {
    return kube_error(name, std::string("unexpected shape (") + e.what() + ")",
                      "give a kubeconfig file");
  }
}

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
