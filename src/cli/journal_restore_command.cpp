// regsweep journal restore: deleted images put back from the journal's manifests
// (app/journal_restore.hpp):
//   regsweep journal restore [--run ID] [--repository-name GLOB]... [--digest D]... [--yes]
// with the registry flags (one registry). A preview first, then the --yes rule; each image ends
// restored, already there, or failed (layers gone: ECR has removed its layers). Exit 0 done; 1 any
// image could not be put back; 2 bad usage or refused without a terminal.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <memory>

#include "app/journal_restore.hpp"
#include "cli/apply_report.hpp"
#include "cli/cli_events.hpp"
#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/source_options.hpp"
#include "cli/table.hpp"
#include "util/printable.hpp"
#include "util/size.hpp"

namespace regsweep::cli {
namespace {

struct JournalRestoreOptions {
  RegistrySource source;
  JournalUndoFilter filter;
  std::string journal;
  std::string output;  // --output; empty: REGSWEEP_OUTPUT, else table
  std::size_t max_rows = 0;
  bool yes = false;
  bool quiet = false;
};

std::string preview(const JournalRestoreOutcome& outcome, std::size_t max_rows) {
  std::string text;
  for (const auto& work : outcome.work) {
    text += "Would put back into " + printable(work.repository) + ":\n";
    std::size_t shown = 0;
    for (const auto& item : work.items) {
      if (max_rows != 0 && shown >= max_rows) break;
      ++shown;
      std::string tags;
      for (const auto& t : item.image.tags) tags += (tags.empty() ? "" : ",") + t;
      text += printable("  " + item.image.digest + "  " + (tags.empty() ? "<untagged>" : tags) +
                        "  " + format_bytes(item.image.size_bytes) + "  " + item.reason) +
              "\n";
    }
    text += more_rows_line(shown, work.items.size());
  }
  return text;
}

int run_journal_restore(const JournalRestoreOptions& options) {
  if (auto live = check_live_registry(options.source, "journal restore"); !live.ok())
    return report_error("journal restore", live.error());
  if (auto one = check_one_registry(options.source, "journal restore"); !one.ok())
    return report_error("journal restore", one.error());
  auto opened = open_registries(options.source);
  if (!opened.ok()) return report_error("journal restore", opened.error());
  auto format = resolve_output(options.output);
  if (!format.ok()) return report_error("journal restore", format.error());
  const bool table = *format == OutputFormat::table;
  CliEvents events("journal restore", options.quiet);
  JournalRestoreRequest request;
  request.filter = options.filter;
  request.session.journal = options.journal;
  request.consent.yes = options.yes;
  request.consent.ask = [&](const ConsentQuestion& question) {
    events.finish_progress();
    return ask_on_terminal(
        "Put back " + counted(question.restores, "deleted image", "deleted images") + " (" +
        format_bytes(question.bytes_restored) + ") into " + question.where + "?");
  };
  request.on_planned = [&](const JournalRestoreOutcome& planned) {
    events.finish_progress();
    for (const auto& image : planned.without_manifest) {
      std::cerr << "regsweep journal restore: " << printable(image)
                << ": the journal has no manifest of it (it could not be read before deleting); "
                   "it cannot be put back\n";
    }
    for (const auto& tag : planned.tags_moved)
      std::cerr << "regsweep journal restore: " << printable(tag) << ": left there\n";
    if (!table) return;
    write_stdout(planned.work.empty() ? "Nothing to put back.\n"
                                      : preview(planned, options.max_rows));
    std::fflush(stdout);
  };
  const auto outcome = restore_from_journal(*opened, request, system_clock(), events);
  events.finish_progress();
  ApplyRenderOptions render;
  render.format = *format;
  render.max_rows = options.max_rows;
  render.quiet = options.quiet;
  render.api_calls = api_calls_of(*opened);
  const bool complete = outcome.without_manifest.empty();
  if (outcome.deletion.ending == DeletionEnding::nothing_to_delete && table)
    return complete ? k_exit_ok : k_exit_failed;
  return report_deletion("journal restore", outcome.deletion, complete, render, options.quiet);
}

}  // namespace

void setup_journal_restore(CLI::App& sub, RunFunction& run) {
  auto options = std::make_shared<JournalRestoreOptions>();
  add_source_options(sub, options->source, SnapshotFlag::absent);
  sub.add_option("--run", options->filter.run_id, "Only what this run deleted (journal show)");
  sub.add_option("--repository-name", options->filter.repository_globs,
                 "Only these repositories (globs '*', '?'); repeatable");
  sub.add_option("--digest", options->filter.digests, "Only this image (sha256:...); repeatable");
  sub.add_option("--journal", options->journal,
                 "Journal file (default: $XDG_STATE_HOME/regsweep/journal.jsonl or "
                 "~/.local/state/regsweep/journal.jsonl)");
  add_output_option(sub, options->output);
  add_max_rows_option(sub, options->max_rows, "images per section");
  sub.add_flag("--yes,-y", options->yes, "Put back without asking");
  sub.add_flag("--quiet,-q", options->quiet, "Totals and problems only");
  sub.callback([&run, options] { run = [options] { return run_journal_restore(*options); }; });
}

}  // namespace regsweep::cli
