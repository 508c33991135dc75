// regsweep delete: the one-off deletions people do with `aws ecr batch-delete-image` or the
// console, with a preview and the same --yes rule as apply:
//   regsweep delete --repository-name NAME (--tag T | --digest D)... | --untagged [--older-than
//   14d]
// A --tag removes that tag (the image goes with its last tag); a --digest removes the image.
// --untagged spares children of kept image indexes and referrers of kept images. Exit 0 done; 1 a
// deletion failed or a named tag/digest was not found; 2 bad usage or refused without a terminal.
// Like apply, it journals every deletion (--journal), holds the repository's lock while deleting,
// and first settles deletions an interrupted earlier run left open in that repository.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <optional>

#include "cli/apply_report.hpp"
#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/deletion_safety.hpp"
#include "cli/number_flags.hpp"
#include "cli/source_options.hpp"
#include "app/deletions.hpp"
#include "app/one_off.hpp"
#include "util/printable.hpp"
#include "util/size.hpp"

namespace regsweep::cli {
namespace {

struct DeleteCommandOptions {
  SourceOptions source;
  std::string repository;
  OneOffSelection selection;
  std::string older_than;
  std::string output = "table";
  double price_per_gb_month = 0.10;
  bool yes = false;
  bool quiet = false;
  std::string journal;  // empty: the default state directory
};

std::string preview(const RepositoryDeletions& work) {
  std::string text = "Would delete from " + work.repository + ":\n";
  for (const auto& item : work.items) {
    std::string tags;
    for (const auto& t : item.image.tags) tags += (tags.empty() ? "" : ",") + t;
    text +=
        printable("  " + (item.id.digest.empty() ? "tag " + item.id.tag + " of " : std::string()) +
                  item.image.digest + "  " + (tags.empty() ? "<untagged>" : tags) + "  " +
                  (item.frees_image ? format_bytes(item.image.size_bytes) : "(untag only)") + "  " +
                  item.reason) +
        "\n";
  }
  return text;
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
  if (!options.source.snapshot.empty()) {
    return report_error("delete", make_error(ErrorCode::invalid_input,
                                             "--snapshot: a snapshot is read-only; delete needs a "
                                             "live registry (--region/--profile/--endpoint-url)"));
  }
  auto registry = open_source(options.source);
  if (!registry.ok()) return report_error("delete", registry.error());
  // The journal is touched only with consent (safety rule 4: without it nothing is deleted). With
  // --yes that is now: deletions a killed earlier run left open in this repository are settled
  // before planning, also when nothing is left to delete. Without it, right after the answer.
  std::optional<DeletionSafety> safety;
  const std::string registry_name = (*registry)->describe();
  const auto open_safety = [&]() -> Status {
    auto opened = open_deletion_safety(options.journal);
    if (!opened.ok()) return std::move(opened).take_error();
    safety = std::move(opened).value();
    resume_interrupted("delete", **registry, *safety, registry_name, "", {options.repository},
                       options.quiet);
    return ok_status();
  };
  if (options.yes) {
    if (auto opened = open_safety(); !opened.ok()) return report_error("delete", opened.error());
  }
  auto images = (*registry)->list_images(options.repository);
  if (!images.ok()) return report_error("delete", images.error());
  auto plan = plan_one_off(options.repository, *images, options.selection, clock_now());
  if (!plan.ok()) return report_error("delete", plan.error());

  for (const auto& name : plan->not_found) {
    std::cerr << "regsweep delete: " << options.repository << ": " << name << ": not found\n";
  }
  if (plan->protected_count > 0 && !options.quiet) {
    std::cerr
        << "regsweep delete: " << plan->protected_count
        << " untagged images kept: they belong to an image index or are referrers (signatures, "
           "SBOMs) of images that stay\n";
  }
  const bool json = options.output == "json";
  const auto& work = plan->deletions;
  ApplyRenderOptions render{json, options.quiet, options.price_per_gb_month, 0, 0, std::nullopt};
  if (work.items.empty()) {
    if (!json) write_stdout("Nothing to delete in " + options.repository + ".\n");
    if (json) render_apply_report({}, render);
    return plan->not_found.empty() ? k_exit_ok : k_exit_failed;
  }
  if (!json) write_stdout(preview(work));
  std::fflush(stdout);
  switch (ask_consent(options.yes, "Delete " +
                                       counted(work.items.size(), "this item", "these items") +
                                       " from " + options.repository + "?")) {
    case Consent::granted:
      break;
    case Consent::declined:
      std::cerr << "regsweep delete: nothing deleted\n";
      return k_exit_ok;
    case Consent::no_terminal:
      std::cerr << "regsweep delete: refusing to delete without --yes: stdin is not a terminal to "
                   "ask on; re-run with --yes\n";
      return k_exit_usage;
  }
  if (!safety) {
    if (auto opened = open_safety(); !opened.ok()) return report_error("delete", opened.error());
  }
  const ApplyReport report =
      apply_deletions(**registry, {work}, safe_apply_options(*safety, registry_name, ""));
  render_apply_report(report, render);
  return report.any_failed() || !plan->not_found.empty() ? k_exit_failed : k_exit_ok;
}

}  // namespace

void setup_delete(CLI::App& sub, RunFunction& run) {
  auto options = std::make_shared<DeleteCommandOptions>();
  add_source_options(sub, options->source);
  sub.add_option("--repository-name", options->repository, "The repository to delete from")
      ->required();
  sub.add_option("--tag", options->selection.tags,
                 "Remove this tag (the image goes with its last tag); repeatable");
  sub.add_option("--digest", options->selection.digests,
                 "Delete this image (sha256:...); repeatable");
  sub.add_flag("--untagged", options->selection.untagged, "Delete the untagged images");
  sub.add_option("--older-than", options->older_than,
                 "With --untagged: only images older than this (14d, 36h)");
  sub.add_option("--output", options->output, "table (default) or json")
      ->check(CLI::IsMember({"table", "json"}));
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
