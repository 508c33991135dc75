// regsweep setup: one-time ECR settings regsweep depends on. Today one:
//   regsweep setup pull-time-exclusion [--region R]... [--role-arn ARN]... [--principal-arn ARN]
//                                      [--remove | --check] [--output table|json|text]
// registers the caller (STS GetCallerIdentity; an assumed role's session -> its role) as a
// pull-time update exclusion in every selected account and region (app/pull_time_exclusion.hpp),
// so regsweep's manifest reads never move lastRecordedPullTime. Idempotent. Exit 0 done (--check:
// every registry excludes the principal); 1 a registry failed (--check: one does not exclude it);
// 2 bad usage.
#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/pull_time_exclusion.hpp"
#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/source_options.hpp"
#include "cli/table.hpp"

namespace regsweep::cli {
namespace {

struct ExclusionOptions {
  RegistrySource source;
  std::string principal_arn;
  bool remove = false;
  bool check = false;
  std::string output;  // --output; empty: REGSWEEP_OUTPUT, else table
};

int run_pull_time_exclusion(const ExclusionOptions& options) {
  if (options.remove && options.check) {
    return report_error("setup pull-time-exclusion",
                        make_error(ErrorCode::invalid_input,
                                   "--remove and --check: give one of them (or neither, to add)"));
  }
  if (auto live = check_live_registry(options.source, "setup pull-time-exclusion"); !live.ok())
    return report_error("setup pull-time-exclusion", live.error());
  auto opened = open_registries(options.source);
  if (!opened.ok()) return report_error("setup pull-time-exclusion", opened.error());
  ExclusionRequest request;
  request.change = options.check    ? ExclusionChange::check
                   : options.remove ? ExclusionChange::remove
                                    : ExclusionChange::add;
  request.principal_arn = options.principal_arn;
  const auto results = setup_pull_time_exclusion(*opened, request);
  bool failed = false;
  for (const auto& r : results) {
    failed |=
        r.state == ExclusionState::failed || (options.check && r.state != ExclusionState::already);
  }
  auto format = resolve_output(options.output);
  if (!format.ok()) return report_error("setup pull-time-exclusion", format.error());
  if (*format == OutputFormat::json) {
    nlohmann::json out = {{"schemaVersion", 1}, {"results", nlohmann::json::array()}};
    for (const auto& r : results) {
      nlohmann::json item = {
          {"registry", r.registry}, {"principalArn", r.principal}, {"state", to_string(r.state)}};
      if (!r.error.empty()) item["error"] = r.error;
      out["results"].push_back(item);
    }
    write_stdout(out.dump(2) + "\n");
  } else if (*format == OutputFormat::text) {
    std::string text;
    for (const auto& r : results)
      text += text_record({"EXCLUSION", r.registry, r.principal, to_string(r.state), r.error});
    write_stdout(text);
  } else {
    Table table({{"REGISTRY"}, {"PRINCIPAL"}, {"STATE"}, {"ERROR"}});
    for (const auto& r : results)
      table.add({r.registry, r.principal.empty() ? "-" : r.principal,
                 std::string(to_string(r.state)), r.error});
    write_stdout(table.render(""));
  }
  return failed ? k_exit_failed : k_exit_ok;
}

void setup_pull_time_exclusion_command(CLI::App& sub, RunFunction& run) {
  auto options = std::make_shared<ExclusionOptions>();
  add_source_options(sub, options->source, SnapshotFlag::absent);
  sub.add_option("--principal-arn", options->principal_arn,
                 "The IAM role or user ARN to exclude (default: the caller's, from STS)");
  sub.add_flag("--remove", options->remove, "Deregister the exclusion instead");
  sub.add_flag("--check", options->check,
               "Only report whether it is registered (exit 1 where it is not)");
  add_output_option(sub, options->output);
  sub.callback([&run, options] { run = [options] { return run_pull_time_exclusion(*options); }; });
}

constexpr CommandEntry k_setup_commands[] = {
    {"pull-time-exclusion",
     "Exclude regsweep's caller from ECR's pull-time updates in every selected account and region",
     setup_pull_time_exclusion_command},
};

}  // namespace

void setup_setup(CLI::App& sub, RunFunction& run) {
  sub.require_subcommand(1);
  for (const auto& entry : k_setup_commands) {
    CLI::App* child = sub.add_subcommand(entry.name, entry.summary);
    entry.setup(*child, run);
  }
}

}  // namespace regsweep::cli
