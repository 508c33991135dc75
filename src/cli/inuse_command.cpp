// regsweep inuse scan: collects the images in use from Kubernetes workload JSON, keep files,
// in-use commands, ECS and Lambda (one account and region per run), a Kubernetes API server through
// a kubeconfig (--kubeconfig, --context; token, tokenFile or exec plugin users), the cluster
// regsweep runs in (--in-cluster: the pod's service account) and earlier saved sets, merges them,
// and writes one in-use file (docs/inuse.md) for `plan`/`apply` to protect. Any source that fails
// fails the scan (exit 1; 2 for bad input): a partial in-use set must never be saved as if
// complete.
#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>

#include "aws/endpoint.hpp"
#include "aws/rest_json.hpp"
#include "aws/session.hpp"
#include "cli/aws_timeouts.hpp"
#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/kubernetes_sources.hpp"
#include "inuse/in_use_file.hpp"
#include "inuse/kube_in_cluster.hpp"
#include "inuse/kubernetes_api.hpp"
#include "inuse/source.hpp"

namespace regsweep::cli {
namespace {

struct InUseScanOptions {
  std::vector<std::string> kubernetes_files;
  std::vector<std::string> keep_files;
  std::vector<std::string> commands;
  std::string command_timeout = "60s";
  std::vector<std::string> saved_sets;
  bool ecs = false;
  bool lambda = false;
  int ecs_revisions = 5;
  std::string region;
  std::string profile;
  std::string endpoint_url;
  AwsTimeouts timeouts;
  std::string output;
  std::vector<std::string> kubeconfigs;
  std::string kube_context;
  bool in_cluster = false;
};

// ECS and Lambda share the session's region and credentials; their endpoint is --endpoint-url
// when given (an emulator, moto), else <service>.<region>.<partition suffix>.
struct ServiceSession {
  AwsSession session;
  AwsServiceEndpoint endpoint;
};

Result<ServiceSession> open_service(const InUseScanOptions& options, const std::string& service) {
  AwsSessionOptions session_options;
  session_options.region = options.region;
  session_options.profile = options.profile;
  session_options.endpoint_url = options.endpoint_url;
  options.timeouts.apply_to(session_options);
  auto session = open_aws_session(session_options);
  if (!session) return session.error();
  AwsServiceEndpoint endpoint;
  endpoint.service = service;
  endpoint.region = session->region;
  endpoint.url = !options.endpoint_url.empty() ? options.endpoint_url
                                               : "https://" + service + "." + session->region +
                                                     "." + dns_suffix(session->region);
  return ServiceSession{std::move(*session), std::move(endpoint)};
}

Result<std::unique_ptr<InUseSource>> open_ecs(const InUseScanOptions& options) {
  auto opened = open_service(options, "ecs");
  if (!opened) return opened.error();
  opened->endpoint.target_prefix = "AmazonEC2ContainerServiceV20141113";
  std::shared_ptr<AwsJsonClient> client =
      make_session_json_client(opened->session, opened->endpoint);
  return make_ecs_source(std::move(client),
                         EcsScanOptions{opened->session.region, options.ecs_revisions});
}

Result<std::unique_ptr<InUseSource>> open_lambda(const InUseScanOptions& options) {
  auto opened = open_service(options, "lambda");
  if (!opened) return opened.error();
  std::shared_ptr<AwsRestClient> client =
      make_session_rest_client(opened->session, opened->endpoint);
  return make_lambda_source(std::move(client), opened->session.region);
}

Status write_output(const std::string& path, const std::string& text) {
  if (path == "-") {
    if (!write_stdout(text))
      return make_error(ErrorCode::internal, "-o -: cannot write to standard output");
    return ok_status();
  }
  // Written aside and renamed, so a reader never sees half a set.
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      return make_error(ErrorCode::internal, "-o " + path + ": cannot write " + temporary + " (" +
                                                 std::strerror(errno) + ")");
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    return make_error(ErrorCode::internal,
                      "-o " + path + ": cannot rename (" + std::strerror(errno) + ")");
  }
  return ok_status();
}

int run_inuse_scan(const InUseScanOptions& options) {
  const auto timeout = parse_duration(options.command_timeout);
  if (!timeout || *timeout <= 0) {
    return report_error("inuse scan",
                        make_error(ErrorCode::invalid_input,
                                   "--in-use-command-timeout: '" + options.command_timeout +
                                       "' is not a duration; write e.g. 60s or 5m"));
  }
  if (options.ecs_revisions < 0) {
    return report_error("inuse scan",
                        make_error(ErrorCode::invalid_input, "--ecs-revisions: must be 0 or more"));
  }
  std::vector<std::unique_ptr<InUseSource>> sources;
  for (const auto& path : options.kubernetes_files)
    sources.push_back(make_kubernetes_file_source(path));
  for (const auto& path : options.keep_files) sources.push_back(make_keep_file_source(path));
  for (const auto& command : options.commands) {
    sources.push_back(make_command_source(command, std::chrono::milliseconds(*timeout)));
  }
  for (const auto& path : options.kubeconfigs) {
    auto api = open_kubeconfig_source("--kubeconfig", path, options.kube_context);
    if (!api) return report_error("inuse scan", api.error());
    sources.push_back(std::move(*api));
  }
  if (options.in_cluster) {
    auto api = open_in_cluster_source();
    if (!api) return report_error("inuse scan", api.error());
    sources.push_back(std::move(*api));
  }
  if (options.lambda) {
    auto lambda = open_lambda(options);
    if (!lambda) return report_error("inuse scan", lambda.error());
    sources.push_back(std::move(*lambda));
  }
  if (options.ecs) {
    auto ecs = open_ecs(options);
    if (!ecs) return report_error("inuse scan", ecs.error());
    sources.push_back(std::move(*ecs));
  }
  if (sources.empty() && options.saved_sets.empty()) {
    return report_error("inuse scan",
                        make_error(ErrorCode::invalid_input,
                                   "no source; give --kubernetes-json, --kubeconfig, --in-cluster, "
                                   "--keep-file, --in-use-command, --ecs, --lambda or --in-use"));
  }
  InUseSet merged;
  for (const auto& path : options.saved_sets) {
    auto set = read_in_use_files("--in-use", path, &parse_in_use_json);
    if (!set) return report_error("inuse scan", set.error());
    merge_in_use(merged, *set);
  }
  for (auto& source : sources) {
    auto set = source->collect();
    if (!set) return report_error("inuse scan", set.error());
    merge_in_use(merged, *set);
  }
  for (const auto& problem : merged.problems) {
    std::cerr << "regsweep inuse scan: warning: " << problem.source << ": " << problem.message
              << '\n';
  }
  if (auto status = write_output(options.output, to_in_use_json(merged, clock_now())); !status) {
    return report_error("inuse scan", status.error());
  }
  std::cerr << "regsweep inuse scan: " << merged.entries.size() << " references from "
            << merged.sources.size() << (merged.sources.size() == 1 ? " source" : " sources")
            << " written to " << (options.output == "-" ? "<stdout>" : options.output) << '\n';
  return k_exit_ok;
}

void setup_inuse_scan(CLI::App& sub, RunFunction& run) {
  auto options = std::make_shared<InUseScanOptions>();
  sub.add_option("--kubernetes-json", options->kubernetes_files,
                 "Output of `kubectl get "
                 "pods,deployments,statefulsets,daemonsets,jobs,cronjobs,replicasets -A -o "
                 "json` ('-' for stdin); repeatable");
  sub.add_option("--kubeconfig", options->kubeconfigs,
                 "Read the workloads from this kubeconfig's cluster (token, tokenFile or exec "
                 "plugin users, e.g. EKS's aws eks get-token); repeatable");
  sub.add_option("--context", options->kube_context,
                 "With --kubeconfig: this context instead of current-context");
  sub.add_flag("--in-cluster", options->in_cluster,
               "Read the workloads of the cluster regsweep runs in (a pod's service account)");
  sub.add_option("--keep-file", options->keep_files,
                 "Image URIs, tags or digests to keep, one per line ('#' comments); repeatable");
  sub.add_option("--in-use-command", options->commands,
                 "A shell command printing a JSON array of image URIs; non-zero exit fails the "
                 "scan; repeatable");
  sub.add_option("--in-use-command-timeout", options->command_timeout,
                 "Kill an in-use command after this (60s)");
  sub.add_option("--in-use", options->saved_sets, "Merge an in-use file saved earlier; repeatable");
  sub.add_flag("--ecs", options->ecs,
               "Scan ECS: running and stopped tasks, services' deployments, recent task definition "
               "revisions");
  sub.add_flag("--lambda", options->lambda,
               "Scan Lambda: image functions, their published versions and aliases");
  sub.add_option("--ecs-revisions", options->ecs_revisions,
                 "Task definition revisions kept in use per family, newest first (default 5)");
  sub.add_option("--region", options->region, "AWS region for --ecs and --lambda");
  sub.add_option("--profile", options->profile, "AWS profile for --ecs and --lambda");
  sub.add_option("--endpoint-url", options->endpoint_url,
                 "Endpoint for --ecs and --lambda (an emulator, moto)");
  add_aws_timeout_options(sub, options->timeouts, "Options");
  sub.add_option("-o,--out", options->output, "Write the in-use set here ('-' for stdout)")
      ->required();
  sub.callback([&run, options] { run = [options] { return run_inuse_scan(*options); }; });
}

constexpr CommandEntry k_inuse_commands[] = {
    {"scan",
     "Collect images in use (Kubernetes JSON or API, keep files, commands, ECS, Lambda) into one "
     "in-use file",
     setup_inuse_scan},
};

}  // namespace

void setup_inuse(CLI::App& sub, RunFunction& run) {
  sub.require_subcommand(1);
  for (const auto& entry : k_inuse_commands) {
    CLI::App* child = sub.add_subcommand(entry.name, entry.summary);
    entry.setup(*child, run);
  }
}

}  // namespace regsweep::cli
