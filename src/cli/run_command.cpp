// regsweep run --config FILE [--yes] [--check]: every target of a config file (app/run_config,
// docs/config.md), for cron, CI and Kubernetes CronJobs. The whole file — policies included — is
// validated before anything is contacted; --check stops there. Then the protections of every apply
// target are read (a file that cannot be read stops the run: nothing contacted), and the targets
// run one after another (app/run_targets.hpp): install puts the policy (a preview without --yes),
// apply plans and deletes (the plan only without --yes). Nothing is ever asked. A per-target
// summary ends the run (table, or with settings.output json one JSON document of the summaries
// only). Exit 0 every target done; 1 anything failed (a registry, a repository, a deletion, a
// repositories glob matching nothing); 2 the config is invalid or cannot be run.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/run_targets.hpp"
#include "cli/apply_report.hpp"
#include "cli/aws_timeouts.hpp"
#include "cli/cli_events.hpp"
#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/plan_render.hpp"
#include "cli/policy_fleet_report.hpp"
#include "cli/protection_options.hpp"
#include "cli/source_options.hpp"
#include "cli/table.hpp"
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
  std::string output;    // --output: over the config's settings.output
  std::size_t max_rows = 0;
  ShardFlags shard;
};

// Renders each target as it runs (nothing in JSON mode: the summary document is the output).
class RunPrinter final : public RunEvents {
 public:
  RunPrinter(const RunSettings& settings, OutputFormat format, std::size_t max_rows, bool yes)
      : m_settings(settings),
        m_format(format),
        m_max_rows(max_rows),
        m_yes(yes),
        m_events("run", false) {}

  void progress(const Progress& progress) override { m_events.progress(progress); }
  void note(NoteKind kind, std::string_view line) override { m_events.note(kind, line); }

  void target_started(const RunTarget& target) override {
    m_current = target.name;
    if (!table()) return;
    write_stdout("=== target " + target.name + " (" +
                 (target.mode == TargetMode::install ? "install" : "apply") + ", policy " +
                 target.policy_name + ") ===\n");
  }
  void installed(const RunTarget&, const FleetReport& report) override {
    m_events.finish_progress();
    if (table()) {
      PolicyReportOptions options{OutputFormat::table, false, m_yes};
      options.max_rows = m_max_rows;
      print_policy_fleet_report(report, options);
    }
  }
  void planned(const RunTarget& target, PlanOutcome& plan) override {
    m_events.finish_progress();
    if (table())
      render_fleet_table(plan.fleet, target.policy, {OutputFormat::table, m_max_rows, false});
  }
  void applied(const RunTarget&, const ApplyOutcome& outcome) override {
    m_events.finish_progress();
    const DeletionOutcome& deletion = outcome.deletion;
    if (deletion.ending == DeletionEnding::plan_only) {
      std::cerr << "regsweep run: " << m_current << ": plan only, "
                << counted(deletion.asked.images, "image", "images")
                << " would be deleted; nothing deleted (run with --yes to delete)\n";
    }
    if (deletion.ending == DeletionEnding::failed && deletion.error) {
      std::cerr << "regsweep run: " << m_current << ": " << deletion.error->message << '\n';
    }
    if (table() && (deletion.ending == DeletionEnding::deleted ||
                    deletion.ending == DeletionEnding::nothing_to_delete)) {
      render_apply_report(deletion.report, {OutputFormat::table,
                                            false,
                                            m_max_rows,
                                            m_settings.price_per_gb_month,
                                            m_settings.price_per_gb_month,
                                            outcome.skipped_repositories,
                                            std::nullopt,
                                            {}});
    }
    if (table()) write_stdout("\n");
  }

 private:
  bool table() const { return m_format == OutputFormat::table; }

  const RunSettings& m_settings;
  OutputFormat m_format;
  std::size_t m_max_rows;
  bool m_yes;
  CliEvents m_events;
  std::string m_current;
};

nlohmann::json counts_of(const TargetResult& t, bool yes) {
  if (t.install) {
    const FleetReport& report = *t.install;
    return {{"created", report.count(PolicyChange::create)},
            {"updated", report.count(PolicyChange::update)},
            {"unchanged", report.count(FleetOutcome::unchanged)},
            {"failed", report.count(FleetOutcome::failed)},
            {"listingErrors", report.listing_errors.size()},
            {"written", yes}};
  }
  if (t.mode == TargetMode::install) return nlohmann::json::object();
  const bool applied = t.deletion && t.deletion->ending == DeletionEnding::deleted;
  const ApplyReport empty;
  const ApplyReport& report = t.deletion ? t.deletion->report : empty;
  return {{"repositories", t.planned.repositories},
          {"images", t.planned.images},
          {"expiring", t.planned.expiring},
          {"transitioning", t.planned.transitioning},
          {"skippedRepositories", t.skipped_repositories},
          {"skippedRegistries", t.unlisted_registries},
          {"applied", applied},
          {"deleted", report.deleted},
          {"gone", report.gone},
          {"skipped", report.skipped},
          {"failed", report.failed},
          {"archived", report.archived},
          {"bytesFreed", report.bytes_freed}};
}

std::string text_of(const TargetResult& t, bool yes) {
  if (!t.error.empty() && t.registries.empty()) return "not run: " + t.error;
  std::string text;
  if (t.install) {
    const FleetReport& report = *t.install;
    text = counted(report.results.size(), "repository", "repositories") + ": " +
           thousands(report.count(PolicyChange::create)) + " create, " +
           thousands(report.count(PolicyChange::update)) + " update, " +
           thousands(report.count(FleetOutcome::unchanged)) + " unchanged, " +
           thousands(report.count(FleetOutcome::failed)) + " failed" +
           (yes ? "" : " (preview: nothing written)");
  } else {
    text = counted(t.planned.repositories, "repository", "repositories") + ", " +
           counted(t.planned.images, "image", "images") + ", " + thousands(t.planned.expiring) +
           " expiring";
    if (t.planned.transitioning > 0)
      text += ", " + thousands(t.planned.transitioning) + " to archive";
    if (t.deletion && t.deletion->ending == DeletionEnding::deleted) {
      const ApplyReport& r = t.deletion->report;
      text += "; " + thousands(r.deleted) + " deleted (" + format_bytes(r.bytes_freed) + "), " +
              (r.archived > 0 ? thousands(r.archived) + " archived, " : "") + thousands(r.failed) +
              " failed, " + thousands(r.skipped) + " skipped";
    } else if (!yes) {
      text += " (plan only: nothing deleted)";
    }
    if (t.skipped_repositories > 0)
      text += "; " + counted(t.skipped_repositories, "repository", "repositories") + " skipped";
    if (t.unlisted_registries > 0)
      text += "; " + counted(t.unlisted_registries, "registry", "registries") + " not listed";
  }
  for (const auto& glob : t.unmatched_globs) text += "; repositories '" + glob + "' match nothing";
  return text;
}

void print_summary(const std::vector<TargetResult>& results, OutputFormat format, bool yes) {
  if (format == OutputFormat::text) {
    std::string text;
    for (const auto& t : results) {
      std::string registries;
      for (const auto& r : t.registries) registries += (registries.empty() ? "" : ",") + r;
      text += text_record({"TARGET", t.name, t.mode == TargetMode::install ? "install" : "apply",
                           t.failed ? "failed" : "ok", registries, text_of(t, yes)});
    }
    write_stdout(text);
    return;
  }
  if (format == OutputFormat::json) {
    nlohmann::json out = {{"schemaVersion", 1}, {"written", yes}};
    out["targets"] = nlohmann::json::array();
    for (const auto& t : results) {
      nlohmann::json entry = {{"name", t.name},
                              {"mode", t.mode == TargetMode::install ? "install" : "apply"},
                              {"registries", t.registries},
                              {"status", t.failed ? "failed" : "ok"},
                              {"summary", counts_of(t, yes)}};
      if (!t.error.empty()) entry["error"] = t.error;
      out["targets"].push_back(std::move(entry));
    }
    write_stdout(out.dump(2) + "\n");
    return;
  }
  Table table({{"TARGET"}, {"MODE"}, {"STATUS"}, {"REGISTRIES"}, {"RESULT"}});
  for (const auto& t : results) {
    std::string registries;
    for (const auto& r : t.registries) registries += (registries.empty() ? "" : ", ") + r;
    table.add({t.name, t.mode == TargetMode::install ? "install" : "apply",
               t.failed ? "FAILED" : "ok", registries.empty() ? "-" : registries, text_of(t, yes)});
  }
  write_stdout("Summary (" + std::string(yes ? "--yes" : "preview only") + "):\n" +
               table.render("  "));
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
  // --output, else the config's settings.output, else REGSWEEP_OUTPUT, else table.
  auto format = resolve_output(options.output.empty() ? config->settings.output : options.output);
  if (!format.ok()) return report_error("run", format.error());
  Clock& clock = system_clock();
  const auto now = now_option(options.now, clock);
  if (!now.ok()) return report_error("run", now.error());
  if (auto future = refuse_future_now(*now, options.allow_future_now, clock); !future.ok())
    return report_error("run", future.error());
  auto shard = shard_of_flags(options.shard);
  if (!shard.ok()) return report_error("run", shard.error());
  if (options.check) {
    std::cout << options.config_path << ": valid, "
              << counted(config->targets.size(), "target", "targets") << "\n";
    return k_exit_ok;
  }
  // The in-use files and keep files of every apply target are read now: one that cannot be read
  // or parsed stops the run before anything is contacted. --check does not read them: they are
  // often written just before the run (an in-use scan in an init container).
  auto prepared = prepare_run(std::move(config).value());
  if (!prepared.ok()) {
    std::cerr << options.config_path << ": " << prepared.error().message << "\n";
    std::cerr << "regsweep run: " << options.config_path
              << " cannot be run; nothing was contacted\n";
    return k_exit_usage;
  }
  const RunSettings& settings = prepared->config.settings;
  RunPrinter printer(settings, *format, options.max_rows, options.yes);
  RunRequest request{options.yes, *now};
  request.shard = *shard;
  const auto results = run_targets(*prepared, request, clock, printer);
  for (std::size_t i = 0; i < results.size(); ++i)
    report_unresolved(results[i].unresolved_in_use, "run: " + results[i].name);
  print_summary(results, *format, options.yes);
  bool failed = false;
  for (const auto& t : results) {
    failed = failed || t.failed;
    if (!t.error.empty()) std::cerr << "regsweep run: target " << t.name << ": " << t.error << "\n";
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
  add_output_option(sub, options->output);
  add_max_rows_option(sub, options->max_rows, "rows per plan, report and policy list");
  add_shard_options(sub, options->shard);
  sub.callback([&run, options] { run = [options] { return run_run(*options); }; });
}

}  // namespace regsweep::cli
