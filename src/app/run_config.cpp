#include "app/run_config.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "app/registry_sources.hpp"
#include "policy/parse.hpp"
#include "util/time.hpp"

namespace regsweep {
namespace {

std::string folder_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

// A file named in the config: absolute, or relative to the config's folder.
std::string resolve_path(const std::string& name, const std::string& config_path) {
  return !name.empty() && name[0] == '/' ? name : folder_of(config_path) + name;
}

class ConfigParser {
 public:
  ConfigParser(std::string path, ReadFile read_file)
      : m_path(std::move(path)), m_read_file(read_file) {
    // Messages about an input name its key, not a flag.
    m_config.settings.protections.names = {"in_use", "keep_files", "kubernetes_json", "kubeconfig",
                                           "context"};
  }

  Result<RunConfig> parse(std::string_view text) {
    YAML::Node root;
    try {
      root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
      add(e.mark, "(config)", fmt::format("not valid YAML: {}", e.msg));
      return to_error();
    }
    if (!root.IsMap()) {
      add(root.Mark(), "(config)",
          "must be a mapping with \"targets:\" (and optional \"settings:\", \"policies:\")");
      return to_error();
    }
    // YAML readers disagree on which of two equal keys wins (yaml-cpp: the first); either way one
    // is silently ignored, e.g. a second `exclude:`. Refused everywhere in the file, up front.
    check_duplicate_keys(root, "");
    if (!m_errors.empty()) return to_error();
    check_keys(root, "", {"version", "settings", "policies", "targets"});
    if (const auto version = root["version"]; version && version.as<std::string>("") != "1") {
      add(version.Mark(), "version", "only version 1 exists; write \"version: 1\"");
    }
    if (const auto settings = root["settings"]) parse_settings(settings);
    if (const auto policies = root["policies"]) parse_policies(policies);
    const auto targets = root["targets"];
    if (!targets || !targets.IsSequence() || targets.size() == 0) {
      add(targets ? targets.Mark() : root.Mark(), "targets",
          "missing or empty; list at least one target");
    } else {
      for (std::size_t i = 0; i < targets.size(); ++i)
        parse_target(targets[i], fmt::format("targets[{}]", i));
    }
    if (!m_errors.empty()) return to_error();
    return std::move(m_config);
  }

 private:
  std::string m_path;
  ReadFile m_read_file;
  std::vector<std::string> m_errors;
  RunConfig m_config;
  std::map<std::string, std::pair<std::string, Policy>> m_policies;  // name -> text, parsed
  std::set<std::string> m_target_names;

  void add(const YAML::Mark& mark, const std::string& path, const std::string& problem) {
    // yaml-cpp counts from 0; people count from 1. A null mark (-1) has no position.
    if (mark.line < 0) {
      m_errors.push_back(fmt::format("{}: {}: {}", m_path, path, problem));
    } else {
      m_errors.push_back(
          fmt::format("{}:{}:{}: {}: {}", m_path, mark.line + 1, mark.column + 1, path, problem));
    }
  }

  Error to_error() const {
    std::string message;
    for (const auto& line : m_errors) message += (message.empty() ? "" : "\n") + line;
    return make_error(ErrorCode::invalid_input, message);
  }

  void check_duplicate_keys(const YAML::Node& node, const std::string& path) {
    if (node.IsSequence()) {
      for (std::size_t i = 0; i < node.size(); ++i)
        check_duplicate_keys(node[i], fmt::format("{}[{}]", path, i));
      return;
    }
    if (!node.IsMap()) return;
    std::map<std::string, YAML::Mark> seen;
    for (const auto& item : node) {
      const std::string key = item.first.IsScalar() ? item.first.Scalar() : std::string();
      const std::string key_path = path.empty() ? key : path + "." + key;
      const auto [first, inserted] = seen.emplace(key, item.first.Mark());
      if (!inserted) {
        add(item.first.Mark(), key_path,
            fmt::format("duplicate key \"{}\" (first at line {}); keep one of them", key,
                        first->second.line + 1));
      }
      check_duplicate_keys(item.second, key_path);
    }
  }

  void check_keys(const YAML::Node& map, const std::string& path,
                  std::initializer_list<std::string_view> allowed) {
    for (const auto& item : map) {
      const std::string key = item.first.as<std::string>("");
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        std::string known;
        for (auto k : allowed) known += (known.empty() ? "" : ", ") + std::string(k);
        add(item.first.Mark(), path.empty() ? key : path + "." + key,
            fmt::format("unknown key \"{}\"; allowed here: {}", key, known));
      }
    }
  }

  std::optional<std::string> scalar(const YAML::Node& node, const std::string& path) {
    if (!node.IsScalar()) {
      add(node.Mark(), path, "must be a single value, not a list or mapping");
      return std::nullopt;
    }
    return node.Scalar();
  }

  std::vector<std::string> string_list(const YAML::Node& node, const std::string& path) {
    std::vector<std::string> out;
    if (node.IsScalar()) {  // a single value is a list of one
      out.push_back(node.Scalar());
      return out;
    }
    if (!node.IsSequence()) {
      add(node.Mark(), path, "must be a list of strings");
      return out;
    }
    for (std::size_t i = 0; i < node.size(); ++i) {
      if (auto value = scalar(node[i], fmt::format("{}[{}]", path, i))) out.push_back(*value);
    }
    return out;
  }

  void parse_settings(const YAML::Node& node) {
    if (!node.IsMap()) return add(node.Mark(), "settings", "must be a mapping");
    check_keys(node, "settings",
               {"concurrency", "output", "journal", "price_per_gb_month", "protections",
                "connect_timeout", "read_timeout", "max_requests_per_second"});
    RunSettings& s = m_config.settings;
    // Seconds, like --cli-connect-timeout / --cli-read-timeout (aws/timeouts.hpp).
    const auto timeout = [&](const char* key, std::optional<std::chrono::milliseconds>& out) {
      const auto n = node[key];
      if (!n) return;
      const std::string path = std::string("settings.") + key;
      auto text = scalar(n, path);
      if (!text) return;
      auto value = parse_timeout_seconds(*text, path);
      if (!value) return add(n.Mark(), path, value.error().message.substr(path.size() + 2));
      out = *value;
    };
    timeout("connect_timeout", s.timeouts.connect);
    timeout("read_timeout", s.timeouts.read);
    // Like --max-requests-per-second.
    if (const auto n = node["max_requests_per_second"]) {
      const std::string path = "settings.max_requests_per_second";
      if (auto text = scalar(n, path)) {
        auto value = parse_requests_per_second(*text, path);
        if (value)
          s.timeouts.max_requests_per_second = *value;
        else
          add(n.Mark(), path, value.error().message.substr(path.size() + 2));
      }
    }
    if (const auto p = node["protections"])
      s.protections = parse_protections(p, "settings.protections", s.protections);
    if (const auto c = node["concurrency"]) {
      const int value = c.as<int>(0);
      if (value < 1 || value > 64)
        add(c.Mark(), "settings.concurrency", "must be a whole number from 1 to 64");
      s.concurrency = value;
    }
    if (const auto o = node["output"]) {
      s.output = o.as<std::string>("");
      if (s.output != "table" && s.output != "json" && s.output != "text")
        add(o.Mark(), "settings.output", "must be \"table\", \"json\" or \"text\"");
    }
    if (const auto j = node["journal"]) s.journal = scalar(j, "settings.journal").value_or("");
    if (const auto p = node["price_per_gb_month"]) {
      s.price_per_gb_month = p.as<double>(-1);
      if (!std::isfinite(s.price_per_gb_month) || s.price_per_gb_month < 0)
        add(p.Mark(), "settings.price_per_gb_month",
            "must be a number >= 0 (USD per GB-month, e.g. 0.10)");
    }
  }

  // The protections of apply targets (the flags of `apply`, docs/config.md): the keys given
  // replace those of `base`; a list replaces the whole list.
  ProtectionInputs parse_protections(const YAML::Node& node, const std::string& path,
                                     ProtectionInputs base) {
    if (!node.IsMap()) {
      add(node.Mark(), path,
          "must be a mapping of in_use, keep_files, kubernetes_json, kubeconfig, context, "
          "in_cluster, min_age, max_delete, max_delete_percent, allow_empty");
      return base;
    }
    check_keys(node, path,
               {"in_use", "keep_files", "kubernetes_json", "kubeconfig", "context", "in_cluster",
                "min_age", "max_delete", "max_delete_percent", "allow_empty"});
    const auto files = [&](const char* key, std::vector<std::string>& out) {
      const auto list = node[key];
      if (!list) return;
      out.clear();
      for (const auto& name : string_list(list, path + "." + key))
        out.push_back(resolve_path(name, m_path));
    };
    files("in_use", base.in_use_files);
    files("keep_files", base.keep_files);
    files("kubernetes_json", base.kubernetes_json);
    // A kubeconfig entry may join several files with ':' (as KUBECONFIG): each is resolved.
    if (const auto list = node["kubeconfig"]) {
      base.kubeconfigs.clear();
      for (const auto& entry : string_list(list, path + ".kubeconfig")) {
        std::string joined;
        std::size_t start = 0;
        while (start <= entry.size()) {
          const auto end = std::min(entry.find(':', start), entry.size());
          if (end > start)
            joined += (joined.empty() ? "" : ":") +
                      resolve_path(entry.substr(start, end - start), m_path);
          start = end + 1;
        }
        if (joined.empty()) {
          add(list.Mark(), path + ".kubeconfig",
              "an entry names no file; give a kubeconfig path (several joined by ':')");
        } else {
          base.kubeconfigs.push_back(joined);
        }
      }
    }
    if (const auto n = node["context"])
      base.kube_context = scalar(n, path + ".context").value_or("");
    const auto flag = [&](const char* key, bool& out) {
      const auto n = node[key];
      if (!n) return;
      bool value = false;
      if (!n.IsScalar() || !YAML::convert<bool>::decode(n, value)) {
        add(n.Mark(), path + "." + key, "must be true or false");
      } else {
        out = value;
      }
    };
    flag("in_cluster", base.in_cluster);
    flag("allow_empty", base.allow_empty);
    if (const auto n = node["min_age"]) {
      if (auto value = scalar(n, path + ".min_age")) {
        if (const auto duration = parse_duration(*value)) {
          base.min_age = *duration;
        } else {
          add(n.Mark(), path + ".min_age",
              fmt::format("\"{}\" is not a duration; write e.g. 1h, 36h, 7d (0s disables)",
                          *value));
        }
      }
    }
    if (const auto n = node["max_delete"]) {
      long long value = -1;
      if (!n.IsScalar() || !YAML::convert<long long>::decode(n, value) || value < 0) {
        add(n.Mark(), path + ".max_delete",
            "must be a whole number >= 0 (a repository losing more images is left alone)");
      } else {
        base.max_delete = static_cast<std::uint64_t>(value);
      }
    }
    if (const auto n = node["max_delete_percent"]) {
      double value = -1;
      if (!n.IsScalar() || !YAML::convert<double>::decode(n, value) || !std::isfinite(value) ||
          value < 0 || value > 100) {
        add(n.Mark(), path + ".max_delete_percent", "must be a number from 0 to 100");
      } else {
        base.max_delete_percent = value;
      }
    }
    return base;
  }

  // A policy given as {file: PATH} or {inline: TEXT}; returns the text and the parsed policy.
  std::optional<std::pair<std::string, Policy>> load_policy(const YAML::Node& node,
                                                            const std::string& path) {
    if (!node.IsMap()) {
      add(node.Mark(), path, "must be {file: policy.json} or {inline: '{\"rules\": [...]}'}");
      return std::nullopt;
    }
    check_keys(node, path, {"file", "inline"});
    const auto file = node["file"];
    const auto inline_text = node["inline"];
    if (static_cast<bool>(file) == static_cast<bool>(inline_text)) {
      add(node.Mark(), path, "give exactly one of \"file\" or \"inline\"");
      return std::nullopt;
    }
    std::string text, source;
    YAML::Mark mark = node.Mark();
    if (file) {
      auto name = scalar(file, path + ".file");
      if (!name) return std::nullopt;
      const std::string resolved = resolve_path(*name, m_path);
      auto content = m_read_file(resolved);
      if (!content) {
        add(file.Mark(), path + ".file",
            fmt::format("cannot read {}: {}", resolved, content.error().message));
        return std::nullopt;
      }
      text = std::move(content).value();
      source = resolved;
    } else {
      auto value = scalar(inline_text, path + ".inline");
      if (!value) return std::nullopt;
      text = *value;
      mark = inline_text.Mark();
      source = fmt::format("{}:{}: {}.inline", m_path, mark.line + 1, path);
    }
    auto policy = parse_policy(text, source);
    if (!policy) {
      m_errors.push_back(policy.error().message);
      return std::nullopt;
    }
    return std::make_pair(std::move(text), std::move(policy).value());
  }

  void parse_policies(const YAML::Node& node) {
    if (!node.IsMap())
      return add(node.Mark(), "policies",
                 "must be a mapping of name -> {file: ...} or {inline: ...}");
    for (const auto& item : node) {
      const std::string name = item.first.as<std::string>("");
      if (auto loaded = load_policy(item.second, "policies." + name))
        m_policies.emplace(name, std::move(*loaded));
    }
  }

  void parse_target(const YAML::Node& node, const std::string& path) {
    if (!node.IsMap())
      return add(node.Mark(), path, "must be a mapping with name, policy and mode");
    check_keys(node, path,
               {"name", "accounts", "regions", "repositories", "exclude", "policy", "mode",
                "profile", "endpoint_url", "registry_id", "protections", "external_id"});
    RunTarget target;
    target.name = node["name"] ? scalar(node["name"], path + ".name").value_or("") : path;
    if (!m_target_names.insert(target.name).second)
      add(node.Mark(), path + ".name",
          fmt::format("\"{}\" is used by two targets; names must be unique", target.name));
    if (const auto a = node["accounts"]) {
      target.role_arns = string_list(a, path + ".accounts");
      for (std::size_t i = 0; i < target.role_arns.size(); ++i) {
        if (target.role_arns[i].rfind("arn:aws", 0) != 0 ||
            target.role_arns[i].find(":role/") == std::string::npos) {
          add(a.IsSequence() ? a[i].Mark() : a.Mark(), fmt::format("{}.accounts[{}]", path, i),
              fmt::format("\"{}\" is not a role ARN; write arn:aws:iam::ACCOUNT_ID:role/NAME",
                          target.role_arns[i]));
        }
      }
    }
    if (const auto x = node["external_id"]) {
      target.external_id = scalar(x, path + ".external_id").value_or("");
      if (auto checked = check_external_id(target.external_id, !target.role_arns.empty(),
                                           path + ".accounts", path + ".external_id");
          !checked)
        add(x.Mark(), path + ".external_id",
            checked.error().message.substr(path.size() + std::string(".external_id: ").size()));
    }
    if (const auto r = node["regions"]) target.regions = string_list(r, path + ".regions");
    if (const auto r = node["repositories"])
      target.repositories = string_list(r, path + ".repositories");
    if (const auto e = node["exclude"]) target.exclude = string_list(e, path + ".exclude");
    if (const auto p = node["profile"]) target.profile = scalar(p, path + ".profile").value_or("");
    if (const auto u = node["endpoint_url"])
      target.endpoint_url = scalar(u, path + ".endpoint_url").value_or("");
    if (const auto id = node["registry_id"])
      target.registry_id = scalar(id, path + ".registry_id").value_or("");
    if (const auto m = node["mode"]) {
      const std::string mode = m.as<std::string>("");
      if (mode == "apply")
        target.mode = TargetMode::apply;
      else if (mode == "install")
        target.mode = TargetMode::install;
      else
        add(m.Mark(), path + ".mode",
            fmt::format("\"{}\" is not one of apply, install (apply deletes now; install puts the "
                        "policy into ECR)",
                        mode));
    } else {
      add(node.Mark(), path + ".mode",
          "missing; add \"mode: apply\" (delete now) or \"mode: install\" (put the policy into "
          "ECR)");
    }
    target.protections = m_config.settings.protections;
    if (const auto p = node["protections"]) {
      if (target.mode == TargetMode::install) {
        add(p.Mark(), path + ".protections",
            "an install target deletes nothing; protections belong to mode: apply targets");
      } else {
        target.protections = parse_protections(p, path + ".protections", target.protections);
      }
    }
    const auto policy = node["policy"];
    if (!policy) {
      add(node.Mark(), path + ".policy",
          "missing; name an entry of policies: or give {file: ...} / {inline: ...}");
    } else if (policy.IsScalar()) {
      const auto it = m_policies.find(policy.Scalar());
      if (it == m_policies.end()) {
        add(policy.Mark(), path + ".policy",
            fmt::format("no policy named \"{}\" under policies:", policy.Scalar()));
      } else {
        target.policy_name = it->first;
        target.policy_text = it->second.first;
        target.policy = it->second.second;
      }
    } else if (auto loaded = load_policy(policy, path + ".policy")) {
      target.policy_name = "inline";
      target.policy_text = std::move(loaded->first);
      target.policy = std::move(loaded->second);
    }
    m_config.targets.push_back(std::move(target));
  }
};

}  // namespace

Result<RunConfig> parse_run_config(std::string_view yaml_text, const std::string& config_path,
                                   ReadFile read_file) {
  return ConfigParser(config_path, read_file).parse(yaml_text);
}

}  // namespace regsweep
