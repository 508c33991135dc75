// regsweep policy preview: plans every repository with the lifecycle policy installed on it
// (app/preview_policies.hpp). Output as `plan`: the table has a section per registry and policy;
// the JSON is one plan-json document (docs/plan-json.md) whose top-level "policy" is null and whose
// repositories each carry their own "policy" (null: none) and "source" (the registry).
// Exit 0 planned; 1 a registry, a repository listing or a policy read failed; 2 bad usage.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "app/preview_policies.hpp"
#include "cli/cli_events.hpp"
#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/plan_flags.hpp"
#include "cli/plan_render.hpp"
#include "cli/plan_table.hpp"
#include "cli/protection_options.hpp"
#include "cli/source_options.hpp"
#include "plan/plan_json.hpp"
#include "util/size.hpp"

namespace regsweep::cli {
namespace {

void write_stdout_chunk(std::string_view chunk) {
  write_stdout(chunk);
}

struct PreviewOptions {
  RegistrySource source;
  bool all = false;
  PlanFlags flags;
};

void render_table(const PolicyPreview& preview, const PreviewOptions& options, EpochMillis now) {
  const auto sink = [](std::string_view chunk) { write_stdout(chunk); };
  std::string last_label;
  for (const auto& group : preview.groups) {
    if (group.label != last_label) write_stdout("== " + group.label + " ==\n");
    last_label = group.label;
    const auto count = group.plan.repositories.size();
    if (group.policy) {
      write_stdout("-- installed policy of " + counted(count, "repository", "repositories") + ": " +
                   to_policy_json(*group.policy) + "\n");
    } else {
      write_stdout("-- no policy installed on " + counted(count, "repository", "repositories") +
                   ": every image kept\n");
    }
    render_plan_table(group.plan, group.policy.value_or(Policy{}),
                      {options.flags.max_rows, options.flags.quiet}, sink);
    write_stdout("\n");
  }
  Plan all;
  all.now = now;
  all.price_per_gb_month = options.flags.price_per_gb_month;
  all.archive_price_per_gb_month = options.flags.price_per_gb_month;
  all.skipped = preview.skipped;
  all.skipped.insert(all.skipped.end(), preview.unlisted.begin(), preview.unlisted.end());
  all.totals = preview.totals;
  write_stdout("== all repositories ==\n");
  render_plan_table(all, Policy{}, {0, true}, sink);
}

// One plan-json document: each group's repositories, with their policy and registry.
void render_json(const PolicyPreview& preview, const std::vector<OpenedRegistry>& opened,
                 const PreviewOptions& options, EpochMillis now) {
  const Policy no_policy;
  PlanDocument document;
  document.source = "installed lifecycle policies";
  document.sources_json = sources_of(opened).dump();
  document.now = now;
  document.price_per_gb_month = options.flags.price_per_gb_month;
  document.archive_price_per_gb_month = options.flags.price_per_gb_month;
  for (const auto& group : preview.groups) {
    document.sections.push_back({&group.plan, group.policy ? &*group.policy : &no_policy,
                                 group.policy ? to_policy_json(*group.policy) : std::string("null"),
                                 group.label});
  }
  document.skipped_repositories = preview.skipped;
  document.skipped_registries = preview.unlisted;
  document.totals = preview.totals;
  render_plan_document(document, [](std::string_view chunk) { write_stdout(chunk); });
}

int run_preview(const PreviewOptions& options) {
  const char* name = "policy preview";
  if (options.all == !options.flags.repository_globs.empty()) {
    return report_error(name, make_error(ErrorCode::invalid_input,
                                         "name the repositories: --repository-name GLOB "
                                         "(repeatable) or --all"));
  }
  Clock& clock = system_clock();
  auto setup = plan_setup(options.flags, clock);
  if (!setup.ok()) return report_error(name, setup.error());
  auto opened = open_registries(options.source);
  if (!opened.ok()) return report_error(name, opened.error());

  CliEvents events(name, options.flags.quiet);
  const PolicyPreview preview = preview_installed_policies(
      *opened, {setup->request.plan, setup->request.concurrency}, clock, events);
  events.finish_progress();
  const EpochMillis now = setup->request.plan.now;
  if (setup->output == OutputFormat::json) {
    render_json(preview, *opened, options, now);
  } else if (setup->output == OutputFormat::text) {
    for (const auto& group : preview.groups)
      render_plan_text(group.plan, write_stdout_chunk, false);
    for (const auto& s : preview.skipped) write_stdout(text_record({"SKIPPED", s.name, s.reason}));
    for (const auto& u : preview.unlisted) write_stdout(text_record({"SKIPPED", u.name, u.reason}));
    write_stdout(totals_record(preview.totals));
  } else {
    render_table(preview, options, now);
  }
  std::fflush(stdout);
  if (!preview.complete()) {
    std::cerr << "regsweep " << name << ": "
              << counted(preview.skipped.size() + preview.unlisted.size(),
                         "repository or registry was", "repositories or registries were")
              << " skipped; the preview does not cover them\n";
    return k_exit_failed;
  }
  return k_exit_ok;
}

}  // namespace

void setup_policy_preview(CLI::App& sub, RunFunction& run) {
  auto options = std::make_shared<PreviewOptions>();
  add_source_options(sub, options->source, SnapshotFlag::absent);
  add_plan_flags(sub, options->flags, PlanCommand::preview);
  sub.add_flag("--all", options->all, "Every repository (instead of --repository-name)");
  sub.callback([&run, options] { run = [options] { return run_preview(*options); }; });
}

}  // namespace regsweep::cli
