// regsweep run --config FILE [--yes] [--check]: every target of a config file (cli/run_config,
// docs/config.md), for cron, CI and Kubernetes CronJobs. The whole file — policies included — is
// validated before anything is contacted; --check stops there. Then, target by target: its
// (account, region) pairs are opened and seen through the target's repository selection (globs
// minus exclusions, sweep/selected_registry), so exclusions hold for every mode:
//   install: `policy put` of the target's policy (a preview without --yes);
//   apply:   the plan+apply flow of `apply` (cli/apply_flow; without --yes the plan only).
// Apply targets carry the protections of `apply` (settings.protections, a target's own
// protections); their in-use and keep files are read before anything is contacted.
// Nothing is ever asked interactively. A per-target summary ends the run (table, or with
// settings.output json one JSON document of the summaries only). Exit 0 every target done; 1
// anything failed (a registry, a repository, a deletion); 2 the config is invalid.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/apply_flow.hpp"
#include "cli/aws_timeouts.hpp"
#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/ecr_fleet.hpp"
#include "cli/policy_fleet_report.hpp"
#include "cli/protection_options.hpp"
#include "cli/run_config.hpp"
#include "sweep/policy_fleet.hpp"
#include "sweep/selected_registry.hpp"
#include "util/input_file.hpp"
#include "util/size.hpp"

namespace regsweep::cli {
namespace {

struct RunCommandOptions {
  std::string config_path;
  bool yes = false;
  bool check = false;
  std::string now;  // empty: the clock (tests pin it)
  bool allow_future_now = false;
  AwsTimeouts timeouts;  // --cli-*-timeout: over the config's settings
};

struct TargetSummary {
  std::string name;
  std::string mode;
  std::vector<std::string> registries;
  bool failed = false;
  std::string error;  // the target could not start (e.g. a role could not be assumed)
  nlohmann::json counts = nlohmann::json::object();
  std::string text;  // one line for the table
};

// The target's registries, each seen through its repository selection. `opened` owns the inner
// registries and must outlive the returned ones.
std::vector<OpenedRegistry> selected(const std::vector<OpenedRegistry>& opened,
                                     const RepositorySelection& selection) {
  std::vector<OpenedRegistry> out;
  for (const auto& o : opened)
    out.push_back({o.label, select_repositories(*o.registry, selection), o.account, o.region});
  return out;
}

void run_install(const RunTarget& target, const std::vector<OpenedRegistry>& registries,
                 const RunSettings& settings, bool yes, TargetSummary& summary) {
  std::vector<FleetTarget> fleet;
  for (const auto& r : registries) fleet.push_back({r.label, r.registry.get()});
  FleetOptions options;
  options.repositories.include = target.repositories;
  options.repositories.exclude = target.exclude;
  options.write = yes;
  options.concurrency = settings.concurrency;
  const FleetReport report = put_policy_fleet(fleet, target.policy, target.policy_text, options);
  if (settings.output != "json") print_policy_fleet_report(report, false, false, yes);
  summary.failed = report.any_failed();
  summary.counts = {{"created", report.count(PolicyChange::create)},
                    {"updated", report.count(PolicyChange::update)},
                    {"unchanged", report.count(FleetOutcome::unchanged)},
                    {"failed", report.count(FleetOutcome::failed)},
                    {"listingErrors", report.listing_errors.size()},
                    {"written", yes}};
  summary.text = std::to_string(report.results.size()) +
                 " repositories: " + std::to_string(report.count(PolicyChange::create)) +
                 " create, " + std::to_string(report.count(PolicyChange::update)) + " update, " +
                 std::to_string(report.count(FleetOutcome::unchanged)) + " unchanged, " +
                 std::to_string(report.count(FleetOutcome::failed)) + " failed" +
                 (yes ? "" : " (preview: nothing written)");
}

// An apply target's protections, read before anything is contacted: plan options with the
// guards and the in-use lookup, and the in-use data that lookup reads.
struct PreparedProtections {
  PlanOptions plan;
  std::shared_ptr<LoadedProtections> loaded;
};

void run_apply_target(const RunTarget& target, const std::vector<OpenedRegistry>& registries,
                      const RunSettings& settings, bool yes, EpochMillis now,
                      const PreparedProtections& protections, TargetSummary& summary) {
  FlowOptions flow;
  flow.command = "run: " + target.name;
  flow.plan = protections.plan;
  flow.plan.now = now;
  flow.plan.price_per_gb_month = settings.price_per_gb_month;
  flow.concurrency = settings.concurrency;
  flow.json = settings.output == "json";
  flow.render = settings.output != "json";
  flow.yes = yes;
  flow.ask = false;
  flow.journal = settings.journal;
  // The registries see only the target's selection already; the globs here are for telling a
  // glob that matches nothing (a typo) from a quiet run.
  flow.plan.repository_globs = target.repositories;
  const FlowResult result = run_apply_flow(registries, target.policy, flow);
  report_unresolved(protections.loaded, flow.command);
  // Under run a glob that matches nothing is a failed target: cron must notice a config that
  // cleans nothing.
  summary.failed = result.exit_code != k_exit_ok || !result.unmatched_globs.empty();
  summary.counts = {{"repositories", result.planned.repositories},
                    {"images", result.planned.images},
                    {"expiring", result.planned.expiring},
                    {"skippedRepositories", result.skipped_repositories},
                    {"applied", result.applied},
                    {"deleted", result.deleted},
                    {"gone", result.gone},
                    {"skipped", result.skipped},
                    {"failed", result.failed},
                    {"bytesFreed", result.bytes_freed}};
  summary.text = std::to_string(result.planned.repositories) + " repositories, " +
                 std::to_string(result.planned.images) + " images, " +
                 std::to_string(result.planned.expiring) + " expiring";
  if (result.applied) {
    summary.text += "; " + std::to_string(result.deleted) + " deleted (" +
                    format_bytes(result.bytes_freed) + "), " + std::to_string(result.failed) +
                    " failed, " + std::to_string(result.skipped) + " skipped";
  } else if (!yes) {
    summary.text += " (plan only: nothing deleted)";
  }
  if (result.skipped_repositories > 0)
    summary.text +=
        "; " + counted(result.skipped_repositories, "repository", "repositories") + " skipped";
  for (const auto& glob : result.unmatched_globs)
    summary.text += "; repositories '" + glob + "' match nothing";
}

TargetSummary run_target(const RunTarget& target, const RunSettings& settings, bool yes,
                         EpochMillis now, const PreparedProtections& protections) {
  TargetSummary summary;
  summary.name = target.name;
  summary.mode = target.mode == TargetMode::install ? "install" : "apply";
  EcrFleetOptions ecr;
  ecr.regions = target.regions;
  ecr.role_arns = target.role_arns;
  ecr.profile = target.profile;
  ecr.endpoint_url = target.endpoint_url;
  ecr.registry_id = target.registry_id;
  ecr.timeouts = settings.timeouts;
  auto opened = open_ecr_fleet(ecr);
  if (!opened.ok()) {
    summary.failed = true;
    summary.error = opened.error().message;
    summary.text = "not run: " + summary.error;
    return summary;
  }
  for (const auto& o : *opened) summary.registries.push_back(o.label);
  RepositorySelection selection{target.repositories, target.exclude};
  const auto registries = selected(*opened, selection);
  if (settings.output != "json") {
    write_stdout("=== target " + target.name + " (" + summary.mode + ", policy " +
                 target.policy_name + ") ===\n");
  }
  if (target.mode == TargetMode::install) {
    run_install(target, registries, settings, yes, summary);
  } else {
    run_apply_target(target, registries, settings, yes, now, protections, summary);
  }
  if (settings.output != "json") write_stdout("\n");
  return summary;
}

// A policy file a config names (the message already names the config key and the file).
Result<std::string> read_policy_file(const std::string& path) {
  return read_input_file("policy", path, k_policy_max_bytes);
}

int run_run(const RunCommandOptions& options) {
  // Everything is checked before anything is contacted.
  auto text = read_input_file("--config", options.config_path, k_config_max_bytes);
  if (!text.ok()) return report_error("run", text.error());
  auto config = parse_run_config(*text, options.config_path, &read_policy_file);
  if (!config.ok()) {
    std::cerr << config.error().message << "\n";
    std::cerr << "regsweep run: " << options.config_path << " is invalid; nothing was contacted\n";
    return k_exit_usage;
  }
  config->settings.timeouts.override_with(options.timeouts);
  const auto now_value = now_option(options.now);
  if (!now_value.ok()) return report_error("run", now_value.error());
  const EpochMillis now = *now_value;
  if (auto future = refuse_future_now(now, options.allow_future_now); !future.ok())
    return report_error("run", future.error());
  if (options.check) {
    std::cout << options.config_path << ": valid, " << config->targets.size() << " targets\n";
    return k_exit_ok;
  }
  // The in-use files and keep files of every apply target are read now: one that cannot be read
  // or parsed stops the run before anything is contacted (never delete without the protection
  // that was asked for). --check does not read them: they are often written just before the run
  // (an in-use scan in an init container), so a config is checked on its own.
  std::vector<PreparedProtections> prepared(config->targets.size());
  for (std::size_t i = 0; i < config->targets.size(); ++i) {
    const RunTarget& target = config->targets[i];
    if (target.mode != TargetMode::apply) continue;
    auto loaded = load_protections(target.protections, prepared[i].plan,
                                   {"in_use", "keep_files", "kubernetes_json", "kubeconfig"});
    if (!loaded.ok()) {
      std::cerr << options.config_path << ": target " << target.name
                << ": protections: " << loaded.error().message << "\n";
      std::cerr << "regsweep run: " << options.config_path
                << " cannot be run; nothing was contacted\n";
      return k_exit_usage;
    }
    prepared[i].loaded = *loaded;
  }

  std::vector<TargetSummary> summaries;
  for (std::size_t i = 0; i < config->targets.size(); ++i)
    summaries.push_back(
        run_target(config->targets[i], config->settings, options.yes, now, prepared[i]));

  bool failed = false;
  for (const auto& s : summaries) failed = failed || s.failed;
  if (config->settings.output == "json") {
    nlohmann::json out = {{"schemaVersion", 1}, {"written", options.yes}};
    out["targets"] = nlohmann::json::array();
    for (const auto& s : summaries) {
      nlohmann::json entry = {{"name", s.name},
                              {"mode", s.mode},
                              {"registries", s.registries},
                              {"status", s.failed ? "failed" : "ok"},
                              {"summary", s.counts}};
      if (!s.error.empty()) entry["error"] = s.error;
      out["targets"].push_back(std::move(entry));
    }
    write_stdout(out.dump(2) + "\n");
  } else {
    std::string table = "Summary (" + std::string(options.yes ? "--yes" : "preview only") + "):\n";
    for (const auto& s : summaries) {
      std::string registries;
      for (const auto& r : s.registries) registries += (registries.empty() ? "" : ", ") + r;
      table += "  " + s.name + "  " + s.mode + "  " + (s.failed ? "FAILED" : "ok") + "  [" +
               registries + "]  " + s.text + "\n";
    }
    write_stdout(table);
  }
  for (const auto& s : summaries) {
    if (!s.error.empty()) std::cerr << "regsweep run: target " << s.name << ": " << s.error << "\n";
  }
  return failed ? k_exit_failed : k_exit_ok;
}

}  // namespace

void setup_run(CLI::App& sub, RunFunction& run) {
  auto options = std::make_shared<RunCommandOptions>();
  sub.add_option("--config", options->config_path, "The config file (docs/config.md)")->required();
  sub.add_flag("--yes,-y", options->yes,
               "Act: delete (apply targets) and write policies (install targets); without it, "
               "plans and previews only");
  sub.add_flag("--check", options->check,
               "Validate the config only (exit 0 valid, 2 invalid); nothing is contacted");
  sub.add_option("--now", options->now,
                 "Evaluate apply targets as of this time (ISO 8601 or epoch seconds)");
  sub.add_flag("--allow-future-now", options->allow_future_now,
               "Accept a --now later than the clock (fresh images are still kept)");
  add_aws_timeout_options(sub, options->timeouts, "Options");
  sub.callback([&run, options] { run = [options] { return run_run(*options); }; });
}

}  // namespace regsweep::cli
