// regsweep apply: the plan of `regsweep plan`, then the deletion of its expiring images from live
// ECR — one registry, or several (repeated --region and --role-arn: every account x region pair,
// one consent question for all); or, with --plan FILE, only what a saved plan expires. Same flags
// as plan, plus --yes (without it: ask on a terminal, refuse otherwise), --journal and
// --allow-future-now. The use cases are app/apply_policy; this file reads flags and renders.
// Transitions are carried out (archived with UpdateImageStorageClass). Exit 0 all done; 1 anything
// failed or a repository was skipped; 2 bad usage, refused without a terminal, or a snapshot source
// (read-only).
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <optional>

#include "app/apply_policy.hpp"
#include "app/policy_file.hpp"
#include "cli/apply_report.hpp"
#include "cli/cli_events.hpp"
#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/plan_flags.hpp"
#include "cli/plan_render.hpp"
#include "cli/protection_options.hpp"
#include "cli/source_options.hpp"
#include "util/size.hpp"

namespace regsweep::cli {
namespace {

struct ApplyCommandOptions {
  RegistrySource source;
  std::string policy_path;
  PlanFlags flags;
  bool yes = false;
  bool allow_future_now = false;
  std::string journal;     // empty: the default state directory
  std::string saved_plan;  // --plan FILE: delete what this saved plan expires, instead of --policy
  ShardFlags shard;
};

int run_apply(const ApplyCommandOptions& options) {
  const PlanFlags& flags = options.flags;
  Clock& clock = system_clock();
  auto setup = plan_setup(flags, clock);
  if (!setup.ok()) return report_error("apply", setup.error());
  if (auto now = refuse_future_now(setup->request.plan.now, options.allow_future_now, clock);
      !now.ok())
    return report_error("apply", now.error());
  if (!options.source.live()) {
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
  std::optional<PolicyFile> policy;
  std::optional<SavedPlan> saved;
  if (!options.policy_path.empty()) {
    auto loaded = load_policy_file("--policy", options.policy_path);
    if (!loaded.ok()) return report_error("apply", loaded.error());
    policy = std::move(loaded).value();
  } else {
    auto read = read_saved_plan(options.saved_plan);
    if (!read.ok()) return report_error("apply", read.error());
    saved = std::move(read).value();
  }
  auto shard = shard_of_flags(options.shard);
  if (!shard.ok()) return report_error("apply", shard.error());
  if (*shard && saved) {  // a merged plan, applied by shard: only this shard's repositories
    auto mine = select_shard(std::move(*saved), **shard, options.saved_plan);
    if (!mine.ok()) return report_error("apply", mine.error());
    saved = std::move(mine).value();
  }
  RegistrySource source = options.source;
  source.shard = *shard;
  auto opened = open_registries(source);
  if (!opened.ok()) return report_error("apply", opened.error());

  const OutputFormat format = setup->output;
  CliEvents events("apply", flags.quiet);
  ApplyRequest request;
  request.plan = setup->request;
  request.session.journal = options.journal;
  request.session.concurrency = flags.concurrency;
  request.consent.yes = options.yes;
  request.consent.archive_price_per_gb_month = archive_price(flags);
  request.consent.ask = [&](const ConsentQuestion& question) {
    events.finish_progress();
    return ask_on_terminal(consent_question_text(question));
  };
  request.on_planned = [&](PlanOutcome& planned) {
    events.finish_progress();
    if (format == OutputFormat::table) {
      render_fleet_table(planned.fleet, policy->policy,
                         {OutputFormat::table, flags.max_rows, flags.quiet});
    }
  };
  const ApplyOutcome outcome =
      saved ? apply_saved_plan(*opened, *saved, options.saved_plan, request, clock, events)
            : apply_policy(*opened, policy->policy, request, clock, events);
  events.finish_progress();
  ApplyRenderOptions render{format,
                            flags.quiet,
                            flags.max_rows,
                            flags.price_per_gb_month,
                            archive_price(flags),
                            outcome.skipped_repositories,
                            std::nullopt,
                            api_calls_of(*opened)};
  if (saved) render.not_as_planned = outcome.not_as_planned;
  const bool complete = saved ? outcome.skipped_repositories == 0 : outcome.planned.complete();
  const int code = report_deletion("apply", outcome.deletion, complete, render, flags.quiet);
  if (!flags.quiet) report_unresolved(setup->protections->unresolved(), "apply");
  return code;
}

}  // namespace

void setup_apply(CLI::App& sub, RunFunction& run) {
  auto options = std::make_shared<ApplyCommandOptions>();
  add_source_options(sub, options->source, SnapshotFlag::offered);
  sub.add_option("--journal", options->journal,
                 "Journal file (default: $XDG_STATE_HOME/regsweep/journal.jsonl or "
                 "~/.local/state/regsweep/journal.jsonl)");
  sub.add_option("--policy", options->policy_path, "Lifecycle policy JSON file ('-' for stdin)");
  sub.add_option(
      "--plan", options->saved_plan,
      "Delete only what this saved plan (`plan --save-plan FILE`) expires, re-checked now; "
      "instead of --policy");
  sub.add_flag("--yes,-y", options->yes, "Delete without asking");
  sub.add_flag("--allow-future-now", options->allow_future_now,
               "Accept a --now later than the clock (images younger than --min-age by the clock "
               "are still kept)");
  add_plan_flags(sub, options->flags, PlanCommand::apply);
  add_shard_options(sub, options->shard);
  sub.callback([&run, options] { run = [options] { return run_apply(*options); }; });
}

}  // namespace regsweep::cli
