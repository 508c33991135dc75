// regsweep inuse scan: collects the images in use from Kubernetes workload JSON, keep files,
// in-use commands, ECS and Lambda (every --role-arn account x --region), a Kubernetes API server
// through a kubeconfig (--kubeconfig, --context; token, tokenFile or exec plugin users), the
// cluster regsweep runs in (--in-cluster: the pod's service account) and earlier saved sets, merges
// them, and writes one in-use file (docs/inuse.md) for `plan`/`apply` to protect. Any source that
// fails fails the scan (exit 1; 2 for bad input): a partial in-use set must never be saved as if
// complete.
#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/scan_in_use.hpp"
#include "cli/aws_timeouts.hpp"
#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/protection_options.hpp"
#include "inuse/in_use_file.hpp"
#include "util/clock.hpp"
#include "util/size.hpp"

namespace regsweep::cli {
namespace {

struct InUseScanOptions {
  InUseScanRequest request;             // the flags that are the use case's inputs as they are
  std::string command_timeout = "60s";  // --in-use-command-timeout, parsed into the request
  std::string output_file;              // --output-file FILE | -
  std::string output;                   // --output: the summary's format
};

Status write_output(const std::string& path, const std::string& text) {
  if (path == "-") {
    if (!write_stdout(text))
      return make_error(ErrorCode::internal, "--output-file -: cannot write to standard output");
    return ok_status();
  }
  // Written aside and renamed, so a reader never sees half a set.
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      return make_error(ErrorCode::internal, "--output-file " + path + ": cannot write " +
                                                 temporary + " (" + std::strerror(errno) + ")");
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    return make_error(ErrorCode::internal,
                      "--output-file " + path + ": cannot rename (" + std::strerror(errno) + ")");
  }
  return ok_status();
}

int run_inuse_scan(const InUseScanOptions& options) {
  auto format = resolve_output(options.output);
  if (!format.ok()) return report_error("inuse scan", format.error());
  if (*format != OutputFormat::table && options.output_file == "-") {
    return report_error(
        "inuse scan", make_error(ErrorCode::invalid_input,
                                 "--output " + std::string(to_string(*format)) +
                                     ": stdout holds the in-use set (--output-file -); fix: write "
                                     "it to a file, or use --output table"));
  }
  const auto timeout = parse_duration(options.command_timeout);
  if (!timeout || *timeout <= 0) {
    return report_error("inuse scan",
                        make_error(ErrorCode::invalid_input,
                                   "--in-use-command-timeout: '" + options.command_timeout +
                                       "' is not a duration; write e.g. 60s or 5m"));
  }
  InUseScanRequest request = options.request;
  request.command_timeout = std::chrono::milliseconds(*timeout);
  auto merged = scan_in_use(request);
  if (!merged) return report_error("inuse scan", merged.error());
  for (const auto& problem : merged->problems) {
    std::cerr << "regsweep inuse scan: warning: " << problem.source << ": " << problem.message
              << '\n';
  }
  const std::string json = to_in_use_json(*merged, system_clock().now());
  if (auto status = write_output(options.output_file, json); !status) {
    return report_error("inuse scan", status.error());
  }
  if (*format == OutputFormat::json) {
    const nlohmann::json summary = {{"schemaVersion", 1},
                                    {"file", options.output_file},
                                    {"references", merged->entries.size()},
                                    {"sources", merged->sources},
                                    {"problems", merged->problems.size()}};
    write_stdout(summary.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  } else if (*format == OutputFormat::text) {
    std::string text =
        text_record({"INUSE", options.output_file, std::to_string(merged->entries.size()),
                     std::to_string(merged->sources.size())});
    for (const auto& source : merged->sources) text += text_record({"SOURCE", source});
    write_stdout(text);
  } else {
    // The table summary is a line on stderr: stdout may hold the in-use set itself.
    std::cerr << "regsweep inuse scan: "
              << counted(merged->entries.size(), "reference", "references") << " from "
              << counted(merged->sources.size(), "source", "sources") << " written to "
              << (options.output_file == "-" ? "<stdout>" : options.output_file) << '\n';
  }
  return k_exit_ok;
}

void setup_inuse_scan(CLI::App& sub, RunFunction& run) {
  auto options = std::make_shared<InUseScanOptions>();
  sub.add_option("--kubernetes-json", options->request.kubernetes_files,
                 "Output of `kubectl get "
                 "pods,deployments,statefulsets,daemonsets,jobs,cronjobs,replicasets -A -o "
                 "json` ('-' for stdin); repeatable");
  add_kubeconfig_option(sub,
                        "Read the workloads from this kubeconfig's cluster (token, tokenFile, "
                        "exec plugin users such as EKS's aws eks get-token, or client "
                        "certificates); several files joined by ':' are merged as kubectl merges "
                        "them; no path: $KUBECONFIG, else ~/.kube/config; repeatable",
                        options->request.kubeconfigs);
  sub.add_option("--context", options->request.kube_context,
                 "With --kubeconfig: this context instead of current-context");
  sub.add_flag("--in-cluster", options->request.in_cluster,
               "Read the workloads of the cluster regsweep runs in (a pod's service account)");
  sub.add_option("--keep-file", options->request.keep_files,
                 "Image URIs, tags or digests to keep, one per line ('#' comments); repeatable");
  sub.add_option("--in-use-command", options->request.commands,
                 "A shell command printing a JSON array of image URIs; non-zero exit fails the "
                 "scan; repeatable");
  sub.add_option("--in-use-command-timeout", options->command_timeout,
                 "Kill an in-use command after this (60s)");
  sub.add_option("--in-use", options->request.saved_sets,
                 "Merge an in-use file saved earlier; repeatable");
  sub.add_flag("--ecs", options->request.ecs,
               "Scan ECS: running and stopped tasks, services' deployments, recent task definition "
               "revisions");
  sub.add_flag("--lambda", options->request.lambda,
               "Scan Lambda: image functions, their published versions and aliases");
  sub.add_option("--ecs-revisions", options->request.ecs_revisions,
                 "Task definition revisions kept in use per family, newest first (default 5)");
  sub.add_option("--region", options->request.regions,
                 "AWS region for --ecs and --lambda (repeat for several: each is scanned)");
  sub.add_option("--role-arn", options->request.role_arns,
                 "Scan --ecs and --lambda in this role's account, assumed from the base "
                 "credentials (repeat for several accounts)");
  sub.add_option("--external-id", options->request.external_id,
                 "External id to send when assuming each --role-arn (sts:ExternalId)");
  sub.add_option("--profile", options->request.profile, "AWS profile for --ecs and --lambda");
  sub.add_option("--endpoint-url", options->request.endpoint_url,
                 "Endpoint for --ecs and --lambda (an emulator, moto)");
  add_aws_timeout_options(sub, options->request.timeouts, "Options");
  sub.add_option("--output-file", options->output_file,
                 "Write the in-use set here ('-' for stdout)")
      ->required();
  add_output_option(sub, options->output);
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
