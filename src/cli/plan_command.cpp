// regsweep plan: what a lifecycle policy would expire or transition, per image, and why. Reads
// only; nothing is deleted. The source is a snapshot or one or more ECR registries (repeated
// --region and --role-arn: every account x region pair, reported per registry). The use case is
// app/plan_registries; this file reads the flags and renders. Exit 0 when planned; 1 when a
// repository or registry had to be skipped (its listing failed, so the plan is incomplete); 2 for
// bad usage or input (policy, snapshot, flags).
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <optional>

#include "app/plan_registries.hpp"
#include "app/policy_file.hpp"
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

struct PlanCommandOptions {
  RegistrySource source;
  std::string policy_path;
  PlanFlags flags;
  std::string save_plan;  // --save-plan FILE: the JSON document, for `apply --plan FILE`
  ShardFlags shard;
};

int run_plan(const PlanCommandOptions& options) {
  const PlanFlags& flags = options.flags;
  Clock& clock = system_clock();
  auto setup = plan_setup(flags, clock);
  if (!setup.ok()) return report_error("plan", setup.error());
  if (options.policy_path.empty())
    return report_error("plan", make_error(ErrorCode::invalid_input,
                                           "--policy: required; fix: --policy FILE (or `regsweep "
                                           "plan merge FILE...` to join saved plans)"));
  auto policy = load_policy_file("--policy", options.policy_path);
  if (!policy.ok()) return report_error("plan", policy.error());
  auto shard = shard_of_flags(options.shard);
  if (!shard.ok()) return report_error("plan", shard.error());
  RegistrySource source = options.source;
  source.shard = *shard;
  auto opened = open_registries(source);
  if (!opened.ok()) return report_error("plan", opened.error());
  std::optional<PlanShard> plan_shard;
  if (*shard) plan_shard = PlanShard{(*shard)->index, (*shard)->count};

  CliEvents events("plan", flags.quiet);
  PlanOutcome outcome = plan_registries(*opened, policy->policy, setup->request, clock, events);
  events.finish_progress();
  render_fleet_plan(outcome.fleet, policy->policy, *opened,
                    {setup->output, flags.max_rows, flags.quiet, plan_shard});
  if (!options.save_plan.empty()) {
    if (auto saved =
            save_plan_json(options.save_plan, outcome.fleet, policy->policy, *opened, plan_shard);
        !saved.ok())
      return report_error("plan", saved.error());
  }
  if (!flags.quiet) report_unresolved(setup->protections->unresolved(), "plan");
  const auto skipped = outcome.fleet.merged.skipped.size();
  if (skipped > 0 && !flags.quiet) {
    std::cerr << "regsweep plan: " << counted(skipped, "repository was", "repositories were")
              << " skipped because listing failed; the plan does not cover them\n";
  }
  return outcome.complete() ? k_exit_ok : k_exit_failed;
}

}  // namespace

void setup_plan(CLI::App& sub, RunFunction& run) {
  auto options = std::make_shared<PlanCommandOptions>();
  add_source_options(sub, options->source, SnapshotFlag::offered);
  sub.add_option("--policy", options->policy_path,
                 "Lifecycle policy JSON file ('-' for stdin); required");
  add_plan_flags(sub, options->flags, PlanCommand::plan);
  sub.add_option("--save-plan", options->save_plan,
                 "Also write the plan as JSON to this file, for `apply --plan FILE`");
  add_shard_options(sub, options->shard);
  setup_plan_merge(
      *sub.add_subcommand("merge",
                          "Join the plans of several shards (plan --save-plan) into one document"),
      run);
  // CLI11 runs this after a subcommand's callback: `plan merge` keeps its own run function.
  sub.callback([&run, &sub, options] {
    if (!sub.get_subcommands().empty()) return;
    run = [options] { return run_plan(*options); };
  });
}

}  // namespace regsweep::cli
