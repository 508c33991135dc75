// kubeconfig -> KubeAccess (see kubernetes_api.hpp): one file, or several merged as kubectl merges
// the files of $KUBECONFIG — every clusters/users/contexts entry of a name taken from the first
// file that has that name, current-context from the first file that sets it, and each file's
// relative paths (certificate-authority, client-certificate, client-key, tokenFile, an exec
// command with a '/') resolved against that file's own folder before merging.
#include <yaml-cpp/yaml.h>

#include <map>
#include <set>

#include "inuse/kubernetes_api.hpp"
#include "util/base64.hpp"
#include "util/input_file.hpp"

namespace regsweep {
namespace {

constexpr std::size_t k_credential_file_max_bytes = 1 * k_mebibyte;

Error kube_error(const std::string& name, const std::string& problem, const std::string& fix) {
  return make_error(ErrorCode::invalid_input, name + ": " + problem + "; " + fix);
}

// A file the kubeconfig names, read whole (util/input_file.hpp); errors name the kubeconfig and
// the key, never the content.
Result<std::string> read_named_file(const std::string& name, const std::string& key,
                                    const std::string& path) {
  auto text = read_input_bytes("", path, k_credential_file_max_bytes);
  if (!text)
    return kube_error(name, key + ": " + text.error().message,
                      "fix the path in the kubeconfig (relative paths are resolved against the "
                      "kubeconfig's folder)");
  return text;
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

// PEM text given as `<key>-data` (base64) or as `<key>` (a file); "" when neither.
Result<std::string> pem_of(const YAML::Node& user, const std::string& key, const std::string& name,
                           const std::string& where, const std::string& base_directory) {
  if (const auto data = text_of(user, (key + "-data").c_str()); !data.empty()) {
    auto pem = base64_decode(data);
    if (!pem)
      return kube_error(name, where + "." + key + "-data: not base64", "fix the kubeconfig");
    return std::move(*pem);
  }
  if (const auto file = text_of(user, key.c_str()); !file.empty())
    return read_named_file(name, where + "." + key, resolve(file, base_directory));
  return std::string();
}

// The user's credentials: a bearer token (token, tokenFile or an exec plugin) and/or a client
// certificate with its key. Basic auth and auth-provider plugins are refused.
Status read_user(const YAML::Node& user, const std::string& user_name, const std::string& name,
                 const std::string& base_directory, KubeAccess& access) {
  const std::string where = "users." + user_name;
  if (user["auth-provider"] || user["username"]) {
    return kube_error(name,
                      where +
                          ": auth-provider and username/password users are not supported (token, "
                          "tokenFile, exec and client certificates are)",
                      "run `kubectl get pods,deployments,statefulsets,daemonsets,jobs,cronjobs,"
                      "replicasets -A -o json > k8s.json` and pass --kubernetes-json k8s.json");
  }
  auto certificate = pem_of(user, "client-certificate", name, where, base_directory);
  if (!certificate) return certificate.error();
  auto key = pem_of(user, "client-key", name, where, base_directory);
  if (!key) return key.error();
  if (certificate->empty() != key->empty()) {
    return kube_error(name,
                      where + ": " +
                          (certificate->empty() ? "client-key without client-certificate"
                                                : "client-certificate without client-key"),
                      "give both (as files or as -data)");
  }
  access.client_certificate_pem = std::move(*certificate);
  access.client_key_pem = Secret(std::move(*key));
  if (const auto token = text_of(user, "token"); !token.empty()) {
    access.token = Secret(token);
  } else if (const auto file = text_of(user, "tokenFile"); !file.empty()) {
    auto token_text = read_named_file(name, where + ".tokenFile", resolve(file, base_directory));
    if (!token_text) return token_text.error();
    std::string value = *token_text;
    while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
    access.token = Secret(value);
  } else if (user["exec"]) {
    auto exec = parse_exec(user["exec"], name + ": " + where + ".exec", base_directory);
    if (!exec) return exec.error();
    access.exec = std::move(*exec);
  }
  return ok_status();
}

Result<KubeAccess> access_from(const YAML::Node& doc, const std::string& name,
                               const std::string& context, const std::string& base_directory) {
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
      if (auto read = read_user(user, user_name, name, base_directory, access); !read)
        return read.error();
    }
    return access;
  } catch (const YAML::Exception& e) {
    return kube_error(name, std::string("unexpected shape (") + e.what() + ")",
                      "give a kubeconfig file");
  }
}

Result<YAML::Node> load_yaml(std::string_view yaml, const std::string& name) {
  try {
    return YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return kube_error(name, std::string("not YAML (") + e.what() + ")", "give a kubeconfig file");
  }
}

// Makes `key` of `map` absolute against `base` when it is a relative path.
void absolutize(YAML::Node map, const char* key, const std::string& base, bool only_with_slash) {
  if (!map || !map.IsMap() || !map[key] || !map[key].IsScalar()) return;
  const std::string value = map[key].as<std::string>();
  if (only_with_slash && value.find('/') == std::string::npos) return;
  map[key] = resolve(value, base);
}

// One file's entries with their relative paths resolved against `base`.
void resolve_paths(YAML::Node doc, const std::string& base) {
  if (const auto clusters = doc["clusters"]; clusters && clusters.IsSequence()) {
    for (auto entry : clusters)
      if (entry.IsMap()) absolutize(entry["cluster"], "certificate-authority", base, false);
  }
  if (const auto users = doc["users"]; users && users.IsSequence()) {
    for (auto entry : users) {
      if (!entry.IsMap() || !entry["user"] || !entry["user"].IsMap()) continue;
      YAML::Node user = entry["user"];
      for (const char* key : {"client-certificate", "client-key", "tokenFile"})
        absolutize(user, key, base, false);
      absolutize(user["exec"], "command", base, true);  // a bare name is looked up in PATH
    }
  }
}

}  // namespace

Result<KubeAccess> parse_kubeconfig(std::string_view yaml, const std::string& name,
                                    const std::string& context, const std::string& base_directory) {
  auto doc = load_yaml(yaml, name);
  if (!doc) return doc.error();
  return access_from(*doc, name, context, base_directory);
}

Result<KubeAccess> parse_kubeconfigs(const std::vector<KubeconfigText>& files,
                                     const std::string& context) {
  if (files.size() == 1) {
    const auto& only = files.front();
    return parse_kubeconfig(only.text, only.path, context, only.directory);
  }
  std::string name;
  for (const auto& file : files) name += (name.empty() ? "" : ":") + file.path;
  YAML::Node merged(YAML::NodeType::Map);
  const char* const k_lists[] = {"clusters", "users", "contexts"};
  std::map<std::string, std::set<std::string>> seen;  // list -> names taken
  try {
    for (const auto& file : files) {
      auto doc = load_yaml(file.text, file.path);
      if (!doc) return doc.error();
      if (doc->IsNull()) continue;  // an empty file adds nothing, as for kubectl
      if (!doc->IsMap()) return kube_error(file.path, "not a kubeconfig", "give a kubeconfig file");
      resolve_paths(*doc, file.directory);
      if (!merged["current-context"] && !text_of(*doc, "current-context").empty())
        merged["current-context"] = text_of(*doc, "current-context");
      for (const char* list : k_lists) {
        const YAML::Node entries = (*doc)[list];
        if (!entries || !entries.IsSequence()) continue;
        for (const auto& entry : entries) {
          const std::string entry_name = text_of(entry, "name");
          if (entry_name.empty() || !seen[list].insert(entry_name).second) continue;
          merged[list].push_back(entry);
        }
      }
    }
  } catch (const YAML::Exception& e) {
    return kube_error(name, std::string("unexpected shape (") + e.what() + ")",
                      "give kubeconfig files");
  }
  return access_from(merged, name, context, "");
}

}  // namespace regsweep
