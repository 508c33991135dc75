// regsweep apply: the plan of `regsweep plan`, then the deletion of its expiring images from live
// ECR — one registry, or several (repeated --region and --role-arn: every account x region pair,
// one consent question for all). Same flags as plan, plus --yes (without it: ask on a terminal,
// refuse otherwise), --concurrency and --journal. The flow itself is cli/apply_flow, shared with
// `run --config`. Transitions are reported as not applied: ECR has no API call that archives an
// image on demand. Exit 0 all done; 1 anything failed or a repository was skipped; 2 bad usage,
// declined without a terminal, or a snapshot source (read-only).
#include <CLI/CLI.hpp>
#include <memory>
#include <optional>

#include "cli/apply_flow.hpp"
#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/protection_options.hpp"
#include "cli/saved_plan_flow.hpp"
#include "cli/source_options.hpp"
#include "policy/parse.hpp"

namespace regsweep::cli {
namespace {

struct ApplyCommandOptions {
  FleetSourceOptions source;
  std::string policy_path;
  std::string now;
  std::vector<std::string> repository_globs;
  std::string output = "table";
  double price_per_gb_month = 0.10;
  double archive_price_per_gb_month = -1.0;
  std::size_t max_rows = 0;
  int concurrency = 4;
  bool yes = false;
  std::string journal;     // empty: the default state directory
  std::string saved_plan;  // --plan FILE: delete what this saved plan expires, instead of --policy
  ProtectionFlags protection;
  bool quiet = false;
};

int run_apply(const ApplyCommandOptions& options) {
  const auto now_value = now_option(options.now);
  if (!now_value.ok()) return report_error("apply", now_value.error());
  const EpochMillis now = *now_value;
  if (!options.source.snapshot.empty()) {
    return report_error("apply",
                        make_error(ErrorCode::invalid_input,
                                   "--snapshot: a snapshot is read-only; apply needs a live "
                                   "registry (--region/--profile/--endpoint-url)"));
  }
  if (options.policy_path.empty() == options.saved_plan.empty()) {
    return report_error("apply", make_error(ErrorCode::invalid_input,
                                            "give either --policy FILE (plan now and delete) or "
                                            "--plan FILE (delete what a saved plan expires)"));
  }
  std::optional<Policy> policy;
  std::optional<SavedPlan> saved;
  if (!options.policy_path.empty()) {
    auto text = read_text_file(options.policy_path);
    if (!text.ok()) return report_error("apply", text.error());
    auto parsed = parse_policy(*text, options.policy_path == "-" ? "<stdin>" : options.policy_path);
    if (!parsed.ok()) return report_error("apply", parsed.error());
    policy = std::move(*parsed);
  } else {
    auto read = read_saved_plan(options.saved_plan);
    if (!read.ok()) return report_error("apply", read.error());
    saved = std::move(*read);
  }

  FlowOptions flow;
  flow.command = "apply";
  flow.plan.now = now;
  flow.plan.price_per_gb_month = options.price_per_gb_month;
  flow.plan.archive_price_per_gb_month = options.archive_price_per_gb_month;
  flow.plan.repository_globs = options.repository_globs;
  auto protections = load_protections(options.protection, flow.plan);
  if (!protections.ok()) return report_error("apply", protections.error());
  auto opened = open_fleet_source(options.source);
  if (!opened.ok()) return report_error("apply", opened.error());

  flow.concurrency = options.concurrency;
  flow.json = options.output == "json";
  flow.max_rows = options.max_rows;
  flow.quiet = options.quiet;
  flow.yes = options.yes;
  flow.ask = true;
  flow.journal = options.journal;
  const FlowResult result = saved ? run_saved_plan_flow(*opened, *saved, options.saved_plan, flow)
                                  : run_apply_flow(*opened, *policy, flow);
  if (!options.quiet) report_unresolved(*protections, "apply");
  return result.exit_code;
}

}  // namespace

void setup_apply(CLI::App& sub, RunFunction& run) {
  auto options = std::make_shared<ApplyCommandOptions>();
  add_fleet_source_options(sub, options->source);
  add_protection_options(sub, options->protection);
  sub.add_option("--journal", options->journal,
                 "Journal file (default: $XDG_STATE_HOME/regsweep/journal.jsonl or "
                 "~/.local/state/regsweep/journal.jsonl)");
  sub.add_option("--policy", options->policy_path, "Lifecycle policy JSON file ('-' for stdin)");
  sub.add_option("--plan", options->saved_plan,
                 "Delete only what this saved plan (`plan -o FILE`) expires, re-checked now; "
                 "instead of --policy");
  sub.add_option("--now", options->now,
                 "Evaluate as of this time (ISO 8601 or epoch seconds); default: now");
  sub.add_option("--repository-name", options->repository_globs,
                 "Only repositories matching this glob ('*', '?'); repeatable");
  sub.add_option("--output", options->output, "table (default) or json")
      ->check(CLI::IsMember({"table", "json"}));
  sub.add_option("--price-per-gb-month", options->price_per_gb_month,
                 "Standard storage price in dollars per GB-month (default 0.10)")
      ->check(CLI::NonNegativeNumber);
  sub.add_option("--archive-price-per-gb-month", options->archive_price_per_gb_month,
                 "Archive storage price (default: same as standard)")
      ->check(CLI::NonNegativeNumber);
  sub.add_option("--max-rows", options->max_rows,
                 "Table: changed images listed per repository (0: all)");
  sub.add_option("--concurrency", options->concurrency,
                 "Repositories worked on at once (default 4)")
      ->check(CLI::Range(1, 32));
  sub.add_flag("--yes,-y", options->yes, "Delete without asking");
  sub.add_flag("--quiet,-q", options->quiet, "Totals and problems only; no progress line");
  sub.callback([&run, options] { run = [options] { return run_apply(*options); }; });
}

}  // namespace regsweep::cli
