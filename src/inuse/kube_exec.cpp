// Exec credential plugins: run, check, take status.token (see kube_exec.hpp).
#include "inuse/kube_exec.hpp"

#include <nlohmann/json.hpp>

#include "util/base64.hpp"
#include "util/subprocess.hpp"

namespace regsweep {
namespace {

Error plugin_error(ErrorCode code, const KubeExecConfig& config, const std::string& problem,
                   const std::string& fix) {
  return make_error(code, config.where + ": '" + config.command + "': " + problem + "; " + fix);
}

// A short, printable rendering of a field the plugin sent (never of status.token).
std::string shown(const nlohmann::json& value) {
  if (!value.is_string()) return value.is_null() ? "missing" : "not a string";
  return "'" + one_line_excerpt(value.get<std::string>(), 80) + "'";
}

bool is_aws_cli(const std::string& command) {
  const auto slash = command.rfind('/');
  return command.substr(slash == std::string::npos ? 0 : slash + 1) == "aws";
}

std::string not_found_fix(const KubeExecConfig& config) {
  std::string fix = is_aws_cli(config.command)
                        ? "install the AWS CLI (it runs `aws eks get-token` for EKS clusters) and "
                          "put it on PATH"
                        : "install it, put it on PATH, or fix users[].user.exec.command";
  if (!config.install_hint.empty())
    fix += " (the kubeconfig says: " + one_line_excerpt(config.install_hint, 300) + ")";
  return fix;
}

}  // namespace

std::string exec_info_json(const KubeExecConfig& config, const KubeExecCluster& cluster) {
  nlohmann::json spec = {{"interactive", false}};
  if (config.provide_cluster_info) {
    nlohmann::json info = {{"server", cluster.server}};
    if (!cluster.ca_pem.empty()) info["certificate-authority-data"] = base64_encode(cluster.ca_pem);
    spec["cluster"] = std::move(info);
  }
  const nlohmann::json doc = {
      {"apiVersion", config.api_version}, {"kind", "ExecCredential"}, {"spec", std::move(spec)}};
  return doc.dump();
}

Result<Secret> parse_exec_credential(std::string_view output, const KubeExecConfig& config) {
  const std::string fix = "the plugin must print an ExecCredential; run it by hand to check";
  // The output holds the token: problems are described, the output is never quoted.
  const auto doc = nlohmann::json::parse(output, nullptr, false);
  if (!doc.is_object())
    return plugin_error(ErrorCode::unauthorized, config, "its output is not a JSON object", fix);
  const auto field = [&](const nlohmann::json& object, const char* key) {
    const auto it = object.find(key);
    return it == object.end() ? nlohmann::json() : *it;
  };
  const auto kind = field(doc, "kind");
  if (kind != "ExecCredential") {
    return plugin_error(ErrorCode::unauthorized, config,
                        "its output's kind is " + shown(kind) + ", not 'ExecCredential'", fix);
  }
  const auto api_version = field(doc, "apiVersion");
  if (api_version != config.api_version) {
    return plugin_error(ErrorCode::unauthorized, config,
                        "its output's apiVersion is " + shown(api_version) +
                            " but the kubeconfig asks for '" + config.api_version + "'",
                        "make exec.apiVersion match what the plugin prints");
  }
  const auto status = field(doc, "status");
  const auto token = status.is_object() ? field(status, "token") : nlohmann::json();
  if (token.is_string() && !token.get<std::string>().empty())
    return Secret(token.get<std::string>());
  if (status.is_object() &&
      (status.contains("clientCertificateData") || status.contains("clientKeyData"))) {
    return plugin_error(ErrorCode::invalid_input, config,
                        "the plugin returned a client certificate, which is not supported here",
                        "use a plugin or user that gives a bearer token, or run `kubectl get "
                        "... -o json` and pass --kubernetes-json");
  }
  return plugin_error(ErrorCode::unauthorized, config, "its output has no status.token", fix);
}

Result<Secret> run_exec_plugin(const KubeExecConfig& config, const KubeExecCluster& cluster) {
  ProcessOptions options;
  options.argv.push_back(config.command);
  options.argv.insert(options.argv.end(), config.args.begin(), config.args.end());
  options.extra_env = config.env;
  // Ours last: kubectl's own value wins over an `env` entry of the same name.
  options.extra_env.emplace_back("KUBERNETES_EXEC_INFO", exec_info_json(config, cluster));
  options.timeout = config.timeout;
  options.max_output = std::size_t{1} << 20;
  options.capture_stderr = true;
  auto outcome = run_process(options);
  if (!outcome) {
    if (outcome.error().code == ErrorCode::not_found) {
      return plugin_error(ErrorCode::invalid_input, config,
                          config.command.find('/') == std::string::npos
                              ? "command not found in PATH"
                              : "command not found",
                          not_found_fix(config));
    }
    return plugin_error(ErrorCode::internal, config, outcome.error().message,
                        "check that the command is an executable program");
  }
  const std::string fix = "run the command by hand to see why";
  switch (outcome->end) {
    case ProcessEnd::timed_out:
      return plugin_error(ErrorCode::transient, config,
                          "ran past " + std::to_string(config.timeout.count() / 1000) +
                              " s and was killed (regsweep gives it no terminal to prompt on)",
                          fix);
    case ProcessEnd::output_too_large:
      return plugin_error(ErrorCode::unauthorized, config, "printed more than 1 MiB (killed)", fix);
    case ProcessEnd::signaled:
      return plugin_error(ErrorCode::unauthorized, config,
                          "killed by signal " + std::to_string(outcome->signal), fix);
    case ProcessEnd::exited:
      break;
  }
  if (outcome->exit_status != 0) {
    const std::string excerpt = one_line_excerpt(outcome->stderr_excerpt, 300);
    return plugin_error(ErrorCode::unauthorized, config,
                        "exited with status " + std::to_string(outcome->exit_status) +
                            (excerpt.empty() ? std::string(" (no stderr)") : ": " + excerpt),
                        is_aws_cli(config.command)
                            ? fix + " (check the AWS credentials, profile and region)"
                            : fix);
  }
  return parse_exec_credential(outcome->output, config);
}

}  // namespace regsweep
