// regsweep plan: what a lifecycle policy would expire or transition, per image, and why. Reads
// only; nothing is deleted. The source is a snapshot or one or more ECR registries (repeated
// --region and --role-arn: every account x region pair, reported per registry). The use case is
// app/plan_registries; this file reads the flags and renders. Exit 0 when planned; 1 when a
// repository or registry had to be skipped (its listing failed, so the plan is incomplete); 2 for
// bad usage or input (policy, snapshot, flags).
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

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
};

int run_plan(const PlanCommandOptions& options) {
  const PlanFlags& flags = options.flags;
  Clock& clock = system_clock();
  auto setup = plan_setup(flags, clock);
  if (!setup.ok()) return report_error("plan", setup.error());
  auto policy = load_policy_file("--policy", options.policy_path);
  if (!policy.ok()) return report_error("plan", policy.error());
  auto opened = open_registries(options.source);
  if (!opened.ok()) return report_error("plan", opened.error());

  CliEvents events("plan", flags.quiet);
  PlanOutcome outcome = plan_registries(*opened, policy->policy, setup->request, clock, events);
  events.finish_progress();
  render_fleet_plan(outcome.fleet, policy->policy, *opened,
                    {setup->output, flags.max_rows, flags.quiet});
  if (!options.save_plan.empty()) {
    if (auto saved = save_plan_json(options.save_plan, outcome.fleet, policy->policy, *opened);
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
  sub.add_option("--policy", options->policy_path, "Lifecycle policy JSON file ('-' for stdin)")
      ->required();
  add_plan_flags(sub, options->flags, PlanCommand::plan);
  sub.add_option("--save-plan", options->save_plan,
                 "Also write the plan as JSON to this file, for `apply --plan FILE`");
  sub.callback([&run, options] { run = [options] { return run_plan(*options); }; });
}

}  // namespace regsweep::cli
