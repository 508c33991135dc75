// regsweep plan: what a lifecycle policy would expire or transition, per image, and why. Reads
// only; nothing is deleted. The source is a snapshot or one or more ECR registries (repeated
// --region and --role-arn: every account x region pair, reported per registry; cli/apply_flow).
// Exit 0 when planned; 1 when a repository or registry had to be skipped (its listing failed, so
// the plan is incomplete); 2 for bad usage or input (policy, snapshot, flags).
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/apply_flow.hpp"
#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/protection_options.hpp"
#include "cli/source_options.hpp"
#include "policy/parse.hpp"

namespace regsweep::cli {
namespace {

struct PlanCommandOptions {
  FleetSourceOptions source;
  std::string policy_path;
  std::string now;  // empty: the clock
  std::vector<std::string> repository_globs;
  std::string output;  // table | json; empty: table on a terminal, json otherwise
  double price_per_gb_month = 0.10;
  double archive_price_per_gb_month = -1.0;
  std::size_t max_rows = 0;
  int concurrency = 4;
  ProtectionFlags protection;
  bool quiet = false;
  std::string save_plan;  // -o FILE: the JSON document, for `apply --plan FILE`
};

Result<Policy> load_policy(const std::string& path) {
  auto text = read_text_file(path);
  if (!text.ok()) return std::move(text).take_error();
  return parse_policy(*text, path == "-" ? "<stdin>" : path);
}

int run_plan(const PlanCommandOptions& options) {
  const auto now_value = now_option(options.now);
  if (!now_value.ok()) return report_error("plan", now_value.error());
  const EpochMillis now = *now_value;
  auto policy = load_policy(options.policy_path);
  if (!policy.ok()) return report_error("plan", policy.error());

  FlowOptions flow;
  flow.command = "plan";
  flow.plan.now = now;
  flow.plan.price_per_gb_month = options.price_per_gb_month;
  flow.plan.archive_price_per_gb_month = options.archive_price_per_gb_month;
  flow.plan.repository_globs = options.repository_globs;
  auto protections = load_protections(options.protection, flow.plan);
  if (!protections.ok()) return report_error("plan", protections.error());
  auto opened = open_fleet_source(options.source);
  if (!opened.ok()) return report_error("plan", opened.error());

  flow.concurrency = options.concurrency;
  flow.json = options.output.empty() ? !stdout_is_terminal() : options.output == "json";
  flow.max_rows = options.max_rows;
  flow.quiet = options.quiet;
  flow.save_plan = options.save_plan;
  const FlowResult result = run_plan_flow(*opened, *policy, flow);
  if (!options.quiet) report_unresolved(*protections, "plan");
  if (result.save_failed) return result.exit_code;
  if (result.skipped_repositories > 0) {
    if (!options.quiet) {
      std::cerr << "regsweep plan: " << result.skipped_repositories
                << " repositories were skipped because listing them failed; the plan does not "
                   "cover them\n";
    }
    return k_exit_failed;
  }
  if (result.planned.repositories == 0 && !options.repository_globs.empty() && !options.quiet) {
    std::cerr << "regsweep plan: no repository matches --repository-name; check the pattern ('*' "
                 "and '?')\n";
  }
  return result.exit_code;
}

}  // namespace

void setup_plan(CLI::App& sub, RunFunction& run) {
  auto options = std::make_shared<PlanCommandOptions>();
  add_fleet_source_options(sub, options->source);
  add_protection_options(sub, options->protection);
  sub.add_option("--policy", options->policy_path, "Lifecycle policy JSON file ('-' for stdin)")
      ->required();
  sub.add_option("--now", options->now,
                 "Evaluate as of this time (ISO 8601 or epoch seconds); default: now");
  sub.add_option("--repository-name", options->repository_globs,
                 "Only repositories matching this glob ('*', '?'); repeatable");
  sub.add_option("--output", options->output,
                 "table or json (default: table on a terminal, json otherwise)")
      ->check(CLI::IsMember({"table", "json"}));
  sub.add_option("--price-per-gb-month", options->price_per_gb_month,
                 "Standard storage price in dollars per GB-month (default 0.10)")
      ->check(CLI::NonNegativeNumber);
  sub.add_option("--archive-price-per-gb-month", options->archive_price_per_gb_month,
                 "Archive storage price; transitions save the difference (default: same as "
                 "standard, no saving)")
      ->check(CLI::NonNegativeNumber);
  sub.add_option("--max-rows", options->max_rows,
                 "Table: changed images listed per repository (0: all)");
  sub.add_option("--concurrency", options->concurrency,
                 "Repositories listed at once per registry (default 4)")
      ->check(CLI::Range(1, 32));
  sub.add_option("-o,--save-plan", options->save_plan,
                 "Also write the plan as JSON to this file, for `apply --plan FILE`");
  sub.add_flag("--quiet,-q", options->quiet, "Table: totals only; no notes on stderr");
  sub.callback([&run, options] { run = [options] { return run_plan(*options); }; });
}

}  // namespace regsweep::cli
