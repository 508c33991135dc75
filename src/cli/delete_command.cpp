// regsweep delete: the one-off deletions people do with `aws ecr batch-delete-image` or the
// console, with apply's safety (app/delete_one_off.hpp):
//   regsweep delete --repository-name NAME (--tag T | --digest D)...
//   regsweep delete --repository-name GLOB... --untagged [--older-than 14d]
// with the protection flags of apply (in use, --min-age 1h, never emptying a repository...), a
// preview, and the --yes rule. A --tag removes that tag (the image goes with its last tag); a
// --digest removes the image, with the untagged children of an index and the referrers of an
// image. Exit 0 done; 1 a deletion failed or a named tag/digest was not found; 2 bad usage or
// refused without a terminal.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "app/delete_one_off.hpp"
#include "cli/apply_report.hpp"
#include "cli/cli_events.hpp"
#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/number_flags.hpp"
#include "cli/output.hpp"
#include "cli/protection_options.hpp"
#include "cli/source_options.hpp"
#include "cli/table.hpp"
#include "util/printable.hpp"
#include "util/size.hpp"

namespace regsweep::cli {
namespace {

struct DeleteCommandOptions {
  RegistrySource source;
  std::vector<std::string> repositories;  // names, or globs with --untagged
  OneOffSelection selection;
  std::string older_than;
  ProtectionFlags protection;
  std::string output;  // --output; empty: REGSWEEP_OUTPUT, else table
  std::size_t max_rows = 0;
  double price_per_gb_month = 0.10;
  bool yes = false;
  bool quiet = false;
  std::string journal;  // empty: the default state directory
};

std::string preview(const OneOffOutcome& outcome, std::size_t max_rows) {
  std::string text;
  for (const auto& work : outcome.work) {
    Table table({{"IMAGE"}, {"TAGS"}, {"SIZE", Align::right}, {"REASON"}});
    for (const auto& item : work.items) {
      if (max_rows != 0 && table.rows() >= max_rows) break;
      std::string tags;
      for (const auto& t : item.image.tags) tags += (tags.empty() ? "" : ",") + t;
      table.add({(item.id.digest.empty() ? "tag " + item.id.tag + " of " : std::string()) +
                     item.image.digest,
                 tags.empty() ? "<untagged>" : tags,
                 item.frees_image ? format_bytes(item.image.size_bytes) : "untag only",
                 item.reason});
    }
    text += "Would delete from " + printable(work.repository) + " (" +
            counted(work.items.size(), "item", "items") + "):\n" + table.render("  ") +
            more_rows_line(table.rows(), work.items.size());
  }
  return text;
}

void notes(const OneOffOutcome& outcome, bool quiet) {
  for (const auto& name : outcome.not_found)
    std::cerr << "regsweep delete: " << printable(name) << ": not found\n";
  for (const auto& kept : outcome.kept) {
    std::cerr << "regsweep delete: not deleting " << printable(kept.repository) << " "
              << kept.digest << ": " << printable(kept.why) << '\n';
  }
  if (outcome.untagged_kept > 0 && !quiet) {
    std::cerr << "regsweep delete: "
              << counted(outcome.untagged_kept, "untagged image", "untagged images")
              << " kept: they belong to an image index or are referrers (signatures, SBOMs) of "
                 "images that stay\n";
  }
}

int run_delete(DeleteCommandOptions options) {
  if (!options.older_than.empty()) {
    const auto duration = parse_duration(options.older_than);
    if (!duration) {
      return report_error("delete",
                          make_error(ErrorCode::invalid_input,
                                     "--older-than: \"" + options.older_than +
                                         "\" is not a duration; write e.g. 14d, 36h, 2w"));
    }
    options.selection.older_than = *duration;
  }
  if (auto valid = validate_selection(options.selection); !valid.ok()) {
    return report_error("delete", valid.error());
  }
  if (auto live = check_live_registry(options.source, "delete"); !live.ok())
    return report_error("delete", live.error());
  if (auto one = check_one_registry(options.source, "delete"); !one.ok())
    return report_error("delete", one.error());
  auto inputs = protection_inputs(options.protection);
  if (!inputs.ok()) return report_error("delete", inputs.error());
  OneOffRequest request;
  request.repository_globs = options.repositories;
  request.selection = options.selection;
  auto protections = load_protections(*inputs, request.protections);
  if (!protections.ok()) return report_error("delete", protections.error());
  auto opened = open_registries(options.source);
  if (!opened.ok()) return report_error("delete", opened.error());

  auto format = resolve_output(options.output);
  if (!format.ok()) return report_error("delete", format.error());
  const bool table = *format == OutputFormat::table;
  CliEvents events("delete", options.quiet);
  request.session.journal = options.journal;
  request.consent.yes = options.yes;
  request.consent.archive_price_per_gb_month = options.price_per_gb_month;
  request.consent.ask = [&](const ConsentQuestion& question) {
    return ask_on_terminal("Delete " + counted(question.images, "item", "items") + " (" +
                           format_bytes(question.bytes) + ")?");
  };
  request.on_planned = [&](const OneOffOutcome& planned) {
    events.finish_progress();
    notes(planned, options.quiet);
    if (!table) return;
    if (planned.work.empty()) {
      write_stdout("Nothing to delete.\n");
    } else {
      write_stdout(preview(planned, options.max_rows));
    }
    std::fflush(stdout);
  };
  const OneOffOutcome outcome = delete_one_off(*opened, request, system_clock(), events);
  events.finish_progress();
  ApplyRenderOptions render{*format,
                            options.quiet,
                            options.max_rows,
                            options.price_per_gb_month,
                            options.price_per_gb_month,
                            outcome.skipped_repositories,
                            std::nullopt,
                            api_calls_of(*opened)};
  const bool complete = outcome.skipped_repositories == 0 && outcome.not_found.empty();
  if (outcome.deletion.ending == DeletionEnding::nothing_to_delete && table)
    return complete ? k_exit_ok : k_exit_failed;
  return report_deletion("delete", outcome.deletion, complete, render, options.quiet);
}

}  // namespace

void setup_delete(CLI::App& sub, RunFunction& run) {
  auto options = std::make_shared<DeleteCommandOptions>();
  add_source_options(sub, options->source, SnapshotFlag::offered);
  sub.add_option("--repository-name", options->repositories,
                 "The repository to delete from; with --untagged also a glob ('*', '?'), "
                 "repeatable")
      ->required();
  sub.add_option("--tag", options->selection.tags,
                 "Remove this tag (the image goes with its last tag); repeatable");
  sub.add_option("--digest", options->selection.digests,
                 "Delete this image (sha256:...); repeatable");
  sub.add_flag("--untagged", options->selection.untagged, "Delete the untagged images");
  sub.add_option("--older-than", options->older_than,
                 "With --untagged: only images older than this (14d, 36h)");
  add_protection_options(sub, options->protection);
  add_output_option(sub, options->output);
  add_max_rows_option(sub, options->max_rows, "images per repository and per report section");
  sub.add_option("--price-per-gb-month", options->price_per_gb_month,
                 "Storage price in dollars per GB-month, for the savings line (default 0.10)")
      ->check(finite_at_least(0));
  sub.add_option("--journal", options->journal,
                 "Journal file (default: $XDG_STATE_HOME/regsweep/journal.jsonl or "
                 "~/.local/state/regsweep/journal.jsonl)");
  sub.add_flag("--yes,-y", options->yes, "Delete without asking");
  sub.add_flag("--quiet,-q", options->quiet, "Totals and problems only");
  sub.callback([&run, options] { run = [options] { return run_delete(*options); }; });
}

}  // namespace regsweep::cli
