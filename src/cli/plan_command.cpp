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
#include "cli/plan_flags.hpp"
#include "cli/protection_options.hpp"
#include "cli/source_options.hpp"
#include "policy/parse.hpp"
#include "util/input_file.hpp"
#include "util/size.hpp"

namespace regsweep::cli {
namespace {

struct PlanCommandOptions {
  FleetSourceOptions source;
  std::string policy_path;
  PlanFlags flags;
  std::string save_plan;  // -o FILE: the JSON document, for `apply --plan FILE`
};

Result<Policy> load_policy(const std::string& path) {
  auto text = read_input_file("--policy", path, k_policy_max_bytes);
  if (!text.ok()) return std::move(text).take_error();
  return parse_policy(*text, path == "-" ? "<stdin>" : path);
}

int run_plan(const PlanCommandOptions& options) {
  const PlanFlags& flags = options.flags;
  auto setup = plan_setup(flags);
  if (!setup.ok()) return report_error("plan", setup.error());
  auto policy = load_policy(options.policy_path);
  if (!policy.ok()) return report_error("plan", policy.error());
  auto opened = open_fleet_source(options.source);
  if (!opened.ok()) return report_error("plan", opened.error());

  FlowOptions flow = flow_options("plan", flags, *setup);
  flow.save_plan = options.save_plan;
  const FlowResult result = run_plan_flow(*opened, *policy, flow);
  if (!flags.quiet) report_unresolved(setup->protections, "plan");
  if (result.save_failed) return result.exit_code;
  if (result.skipped_repositories > 0) {
    if (!flags.quiet) {
      std::cerr << "regsweep plan: "
                << counted(result.skipped_repositories, "repository was", "repositories were")
                << " skipped because listing failed; the plan does not cover them\n";
    }
    return k_exit_failed;
  }
  return result.exit_code;
}

}  // namespace

void setup_plan(CLI::App& sub, RunFunction& run) {
  auto options = std::make_shared<PlanCommandOptions>();
  add_fleet_source_options(sub, options->source);
  sub.add_option("--policy", options->policy_path, "Lifecycle policy JSON file ('-' for stdin)")
      ->required();
  add_plan_flags(sub, options->flags, PlanCommand::plan);
  sub.add_option("-o,--save-plan", options->save_plan,
                 "Also write the plan as JSON to this file, for `apply --plan FILE`");
  sub.callback([&run, options] { run = [options] { return run_plan(*options); }; });
}

}  // namespace regsweep::cli
