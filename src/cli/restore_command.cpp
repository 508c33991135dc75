// regsweep restore: archived images back to standard storage (app/restore_images.hpp):
//   regsweep restore --repository-name NAME (--tag T | --digest D)...
//   regsweep restore --repository-name GLOB... --archived [--older-than 90d] [--newer-than 1y]
// A preview with the retrieval fee, then the --yes rule, journal and locks of every deletion.
// ECR answers ACTIVATING; the image can be pulled again within about 20 minutes. Exit 0 done;
// 1 a restore failed or a named tag/digest was not found or not archived; 2 bad usage or refused
// without a terminal.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <memory>

#include "app/restore_images.hpp"
#include "cli/apply_report.hpp"
#include "cli/cli_events.hpp"
#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/number_flags.hpp"
#include "cli/output.hpp"
#include "cli/source_options.hpp"
#include "cli/table.hpp"
#include "util/printable.hpp"
#include "util/size.hpp"

namespace regsweep::cli {
namespace {

struct RestoreCommandOptions {
  RegistrySource source;
  std::vector<std::string> repositories;
  RestoreSelection selection;
  std::string older_than;
  std::string newer_than;
  double retrieval_price_per_gb = 0.03;
  std::string output;  // --output; empty: REGSWEEP_OUTPUT, else table
  std::size_t max_rows = 0;
  bool yes = false;
  bool quiet = false;
  std::string journal;
};

std::string money(double dollars) {
  char text[64];
  std::snprintf(text, sizeof text, "$%.2f", dollars);
  return text;
}

std::string preview(const RestoreOutcome& outcome, std::size_t max_rows) {
  std::string text;
  std::uint64_t bytes = 0;
  for (const auto& work : outcome.work) {
    text += "Would restore in " + printable(work.repository) + ":\n";
    std::size_t shown = 0;
    for (const auto& item : work.items) {
      bytes += item.image.size_bytes;
      if (max_rows != 0 && shown >= max_rows) continue;
      ++shown;
      std::string tags;
      for (const auto& t : item.image.tags) tags += (tags.empty() ? "" : ",") + t;
      text += printable("  " + item.image.digest + "  " + (tags.empty() ? "<untagged>" : tags) +
                        "  " + format_bytes(item.image.size_bytes) + "  " + item.reason) +
              "\n";
    }
    text += more_rows_line(shown, work.items.size());
  }
  if (!outcome.work.empty()) {
    text += format_bytes(bytes) + " to restore; retrieval fee about " +
            money(outcome.retrieval_fee) + " once\n";
  }
  return text;
}

Result<std::optional<EpochMillis>> duration_flag(const std::string& flag, const std::string& text) {
  if (text.empty()) return std::optional<EpochMillis>();
  const auto duration = parse_duration(text);
  if (!duration) {
    return make_error(ErrorCode::invalid_input,
                      flag + ": \"" + text + "\" is not a duration; write e.g. 14d, 36h, 2w");
  }
  return std::optional<EpochMillis>(*duration);
}

int run_restore(RestoreCommandOptions options) {
  auto older = duration_flag("--older-than", options.older_than);
  if (!older) return report_error("restore", older.error());
  auto newer = duration_flag("--newer-than", options.newer_than);
  if (!newer) return report_error("restore", newer.error());
  options.selection.older_than = *older;
  options.selection.newer_than = *newer;
  if (auto valid = validate_restore_selection(options.selection); !valid.ok())
    return report_error("restore", valid.error());
  if (auto live = check_live_registry(options.source, "restore"); !live.ok())
    return report_error("restore", live.error());
  if (auto one = check_one_registry(options.source, "restore"); !one.ok())
    return report_error("restore", one.error());
  auto opened = open_registries(options.source);
  if (!opened.ok()) return report_error("restore", opened.error());

  auto format = resolve_output(options.output);
  if (!format.ok()) return report_error("restore", format.error());
  const bool table = *format == OutputFormat::table;
  CliEvents events("restore", options.quiet);
  RestoreRequest request;
  request.repository_globs = options.repositories;
  request.selection = options.selection;
  request.retrieval_price_per_gb = options.retrieval_price_per_gb;
  request.session.journal = options.journal;
  request.consent.yes = options.yes;
  request.consent.ask = [&](const ConsentQuestion& question) {
    events.finish_progress();
    return ask_on_terminal(consent_question_text(question));
  };
  request.on_planned = [&](const RestoreOutcome& planned) {
    events.finish_progress();
    for (const auto& name : planned.not_found)
      std::cerr << "regsweep restore: " << printable(name) << ": not found\n";
    for (const auto& name : planned.not_archived)
      std::cerr << "regsweep restore: " << printable(name) << ": not archived, left as it is\n";
    if (!table) return;
    write_stdout(planned.work.empty() ? "Nothing to restore.\n"
                                      : preview(planned, options.max_rows));
    std::fflush(stdout);
  };
  const RestoreOutcome outcome = restore_images(*opened, request, system_clock(), events);
  events.finish_progress();
  ApplyRenderOptions render;
  render.format = *format;
  render.max_rows = options.max_rows;
  render.quiet = options.quiet;
  render.skipped_repositories = outcome.skipped_repositories;
  render.api_calls = api_calls_of(*opened);
  const bool complete = outcome.skipped_repositories == 0 && outcome.not_found.empty() &&
                        outcome.not_archived.empty();
  if (outcome.deletion.ending == DeletionEnding::nothing_to_delete && table)
    return complete ? k_exit_ok : k_exit_failed;
  return report_deletion("restore", outcome.deletion, complete, render, options.quiet);
}

}  // namespace

void setup_restore(CLI::App& sub, RunFunction& run) {
  auto options = std::make_shared<RestoreCommandOptions>();
  add_source_options(sub, options->source, SnapshotFlag::offered);
  sub.add_option("--repository-name", options->repositories,
                 "The repository to restore in; with --archived also a glob ('*', '?'), "
                 "repeatable")
      ->required();
  sub.add_option("--tag", options->selection.tags, "Restore the image with this tag; repeatable");
  sub.add_option("--digest", options->selection.digests,
                 "Restore this image (sha256:...); repeatable");
  sub.add_flag("--archived", options->selection.archived,
               "Restore every archived image of the selected repositories");
  sub.add_option("--older-than", options->older_than,
                 "With --archived: only images pushed (or last restored) longer ago (90d)");
  sub.add_option("--newer-than", options->newer_than,
                 "With --archived: only images pushed (or last restored) more recently (1y)");
  sub.add_option("--retrieval-price-per-gb", options->retrieval_price_per_gb,
                 "ECR's restore fee in dollars per GB, for the preview (default 0.03)")
      ->check(finite_at_least(0));
  add_output_option(sub, options->output);
  add_max_rows_option(sub, options->max_rows, "images per section");
  sub.add_option("--journal", options->journal,
                 "Journal file (default: $XDG_STATE_HOME/regsweep/journal.jsonl or "
                 "~/.local/state/regsweep/journal.jsonl)");
  sub.add_flag("--yes,-y", options->yes, "Restore without asking");
  sub.add_flag("--quiet,-q", options->quiet, "Totals and problems only");
  sub.callback([&run, options] { run = [options] { return run_restore(*options); }; });
}

}  // namespace regsweep::cli
