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
#include "cli/plan_flags.hpp"
#include "cli/protection_options.hpp"
#include "cli/saved_plan_flow.hpp"
#include "cli/source_options.hpp"
#include "policy/parse.hpp"
#include "util/input_file.hpp"

namespace regsweep::cli {
namespace {

struct ApplyCommandOptions {
  FleetSourceOptions source;
  std::string policy_path;
  PlanFlags flags;
  bool yes = false;
  bool allow_future_now = false;
  std::string journal;     // empty: the default state directory
  std::string saved_plan;  // --plan FILE: delete what this saved plan expires, instead of --policy
};

int run_apply(const ApplyCommandOptions& options) {
  const PlanFlags& flags = options.flags;
  auto setup = plan_setup(flags);
  if (!setup.ok()) return report_error("apply", setup.error());
  if (auto now = refuse_future_now(setup->plan.now, options.allow_future_now); !now.ok())
    return report_error("apply", now.error());
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
    auto text = read_input_file("--policy", options.policy_path, k_policy_max_bytes);
    if (!text.ok()) return report_error("apply", text.error());
    auto parsed = parse_policy(*text, options.policy_path == "-" ? "<stdin>" : options.policy_path);
    if (!parsed.ok()) return report_error("apply", parsed.error());
    policy = std::move(*parsed);
  } else {
    auto read = read_saved_plan(options.saved_plan);
    if (!read.ok()) return report_error("apply", read.error());
    saved = std::move(*read);
  }

  auto opened = open_fleet_source(options.source);
  if (!opened.ok()) return report_error("apply", opened.error());

  FlowOptions flow = flow_options("apply", flags, *setup);
  flow.yes = options.yes;
  flow.ask = true;
  flow.journal = options.journal;
  const FlowResult result = saved ? run_saved_plan_flow(*opened, *saved, options.saved_plan, flow)
                                  : run_apply_flow(*opened, *policy, flow);
  if (!flags.quiet) report_unresolved(setup->protections, "apply");
  return result.exit_code;
}

}  // namespace

void setup_apply(CLI::App& sub, RunFunction& run) {
  auto options = std::make_shared<ApplyCommandOptions>();
  add_fleet_source_options(sub, options->source);
  sub.add_option("--journal", options->journal,
                 "Journal file (default: $XDG_STATE_HOME/regsweep/journal.jsonl or "
                 "~/.local/state/regsweep/journal.jsonl)");
  sub.add_option("--policy", options->policy_path, "Lifecycle policy JSON file ('-' for stdin)");
  sub.add_option("--plan", options->saved_plan,
                 "Delete only what this saved plan (`plan -o FILE`) expires, re-checked now; "
                 "instead of --policy");
  sub.add_flag("--yes,-y", options->yes, "Delete without asking");
  sub.add_flag("--allow-future-now", options->allow_future_now,
               "Accept a --now later than the clock (images younger than --min-age by the clock "
               "are still kept)");
  add_plan_flags(sub, options->flags, PlanCommand::apply);
  sub.callback([&run, options] { run = [options] { return run_apply(*options); }; });
}

}  // namespace regsweep::cli
