// regsweep apply: the plan of `regsweep plan`, then the deletion of its expiring images from live
// ECR. Same flags as plan, plus --yes (without it: ask on a terminal, refuse otherwise) and
// --concurrency. Transitions are reported as not applied: ECR has no API call that archives an
// image on demand. Exit 0 all done; 1 anything failed or a repository was skipped; 2 bad usage,
// declined without a terminal, or a snapshot source (read-only).
#include <unistd.h>
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/apply_report.hpp"
#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/plan_json.hpp"
#include "cli/plan_table.hpp"
#include "cli/progress_line.hpp"
#include "cli/protection_options.hpp"
#include "cli/source_options.hpp"
#include "journal/state_dir.hpp"
#include "policy/explain.hpp"
#include "policy/parse.hpp"
#include "sweep/apply.hpp"
#include "sweep/plan_use_case.hpp"
#include "util/size.hpp"

namespace regsweep::cli {
namespace {

struct ApplyCommandOptions {
  SourceOptions source;
  std::string policy_path;
  std::string now;
  std::vector<std::string> repository_globs;
  std::string output = "table";
  double price_per_gb_month = 0.10;
  double archive_price_per_gb_month = -1.0;
  std::size_t max_rows = 0;
  int concurrency = 4;
  bool yes = false;
  std::string journal;  // empty: the default state directory
  ProtectionFlags protection;
  bool quiet = false;
};

// The expiring images of the plan, per repository, as deletions by digest.
std::vector<RepositoryDeletions> deletions_of(const Plan& plan, const Policy& policy,
                                              std::uint64_t& transitions) {
  std::vector<RepositoryDeletions> work;
  for (const auto& repo_plan : plan.repositories) {
    RepositoryDeletions repo{repo_plan.repository->name, {}};
    for (std::size_t i = 0; i < repo_plan.verdicts.size(); ++i) {
      const Verdict& verdict = repo_plan.verdicts[i];
      const ImageRecord& image = repo_plan.repository->images[i];
      if (verdict.action == VerdictAction::transition) ++transitions;
      if (verdict.action != VerdictAction::expire) continue;
      repo.items.push_back({{image.digest, ""}, image, true, explain(verdict, policy, plan.now)});
    }
    if (!repo.items.empty()) work.push_back(std::move(repo));
  }
  return work;
}

int run_apply(const ApplyCommandOptions& options) {
  EpochMillis now = clock_now();
  if (!options.now.empty()) {
    const auto parsed = parse_timestamp(options.now);
    if (!parsed) {
      return report_error("apply",
                          make_error(ErrorCode::invalid_input,
                                     "--now: \"" + options.now +
                                         "\" is not a time; write e.g. 2026-11-01T00:00:00Z"));
    }
    now = *parsed;
  }
  if (!options.source.snapshot.empty()) {
    return report_error("apply",
                        make_error(ErrorCode::invalid_input,
                                   "--snapshot: a snapshot is read-only; apply needs a live "
                                   "registry (--region/--profile/--endpoint-url)"));
  }
  auto text = read_text_file(options.policy_path);
  if (!text.ok()) return report_error("apply", text.error());
  auto policy = parse_policy(*text, options.policy_path == "-" ? "<stdin>" : options.policy_path);
  if (!policy.ok()) return report_error("apply", policy.error());
  auto registry = open_source(options.source);
  if (!registry.ok()) return report_error("apply", registry.error());

  ProgressLine progress(options.quiet);
  PlanOptions plan_options;
  plan_options.now = now;
  plan_options.price_per_gb_month = options.price_per_gb_month;
  plan_options.archive_price_per_gb_month = options.archive_price_per_gb_month;
  plan_options.repository_globs = options.repository_globs;
  ScanOptions scan_options;
  scan_options.repository_globs = options.repository_globs;
  scan_options.concurrency = options.concurrency;
  scan_options.on_progress = [&](std::size_t done, std::size_t total) {
    progress.update("listing repositories " + std::to_string(done) + "/" + std::to_string(total));
  };
  auto protections = load_protections(options.protection, plan_options);
  if (!protections.ok()) return report_error("apply", protections.error());
  auto run = plan_registry(**registry, *policy, plan_options, scan_options);
  progress.finish();
  if (!run.ok()) return report_error("apply", run.error());
  const Plan& plan = run->plan;

  const bool json = options.output == "json";
  if (!json) {
    render_plan_table(plan, *policy, {options.max_rows, options.quiet},
                      [](std::string_view chunk) { write_stdout(chunk); });
    std::fflush(stdout);
  }
  std::uint64_t transitions = 0;
  const auto work = deletions_of(plan, *policy, transitions);
  std::size_t count = 0;
  std::uint64_t bytes = 0;
  for (const auto& repo : work) {
    count += repo.items.size();
    for (const auto& item : repo.items) bytes += item.image.size_bytes;
  }
  ApplyRenderOptions render{json, options.quiet, options.price_per_gb_month, transitions,
                            plan.skipped.size()};
  if (count == 0) {
    render_apply_report({}, render);
    return plan.skipped.empty() ? k_exit_ok : k_exit_failed;
  }
  const std::string question = "Delete " + std::to_string(count) + " images (" +
                               format_bytes(bytes) + ") from " + std::to_string(work.size()) +
                               " repositories of " + (*registry)->describe() + "?";
  switch (ask_consent(options.yes, question)) {
    case Consent::granted:
      break;
    case Consent::declined:
      std::cerr << "regsweep apply: nothing deleted\n";
      return k_exit_ok;
    case Consent::no_terminal:
      std::cerr << "regsweep apply: refusing to delete " << count
                << " images without --yes: stdin is not a terminal to ask on; re-run with --yes\n";
      return k_exit_usage;
  }

  // Every deletion is journaled before and after the call (DESIGN.md safety rule 4); without a
  // journal nothing is deleted.
  std::string journal_path = options.journal;
  if (journal_path.empty()) {
    auto path = default_journal_path(process_env());
    if (!path.ok()) return report_error("apply", path.error());
    journal_path = *path;
  }
  auto journal = FileJournal::open(journal_path);
  if (!journal.ok()) return report_error("apply", journal.error());

  ApplyOptions apply_options;
  apply_options.concurrency = options.concurrency;
  apply_options.journal = journal->get();
  apply_options.run_id = std::to_string(clock_now()) + "-" + std::to_string(::getpid());
  apply_options.registry = (*registry)->describe();
  apply_options.now = [] { return clock_now(); };
  apply_options.on_progress = [&](const ApplyProgress& p) {
    progress.update("deleting " + std::to_string(p.items_done) + "/" +
                    std::to_string(p.items_total) + " images, " +
                    std::to_string(p.repositories_done) + "/" +
                    std::to_string(p.repositories_total) + " repositories");
  };
  const ApplyReport report = apply_deletions(**registry, work, apply_options);
  progress.finish();
  render_apply_report(report, render);
  return report.any_failed() || !plan.skipped.empty() ? k_exit_failed : k_exit_ok;
}

}  // namespace

void setup_apply(CLI::App& sub, RunFunction& run) {
  auto options = std::make_shared<ApplyCommandOptions>();
  add_source_options(sub, options->source);
  add_protection_options(sub, options->protection);
  sub.add_option("--journal", options->journal,
                 "Journal file (default: $XDG_STATE_HOME/regsweep/journal.jsonl or "
                 "~/.local/state/regsweep/journal.jsonl)");
  sub.add_option("--policy", options->policy_path, "Lifecycle policy JSON file ('-' for stdin)")
      ->required();
  sub.add_option("--now", options->now,
                 "Evaluate as of this time (ISO 8601 or epoch seconds); default: now");
  sub.add_option("--repository-name", options->repository_globs,
                 "Only repositories matching this glob ('*', '?'); repeatable");
  sub.add_option("--output", options->output, "table (default) or json")
      ->check(CLI::IsMember({"table", "json"}));
  sub.add_option("--price-per-gb-month", options->price_per_gb_month,
                 "Standard storage price in dollars per GB-month (default 0.10)")
      ->check(CLI::NonNegativeNumber);
  sub.add_option("--archive-price-per-gb-month", options->archive_price_per_gb_month,
                 "Archive storage price (default: same as standard)")
      ->check(CLI::NonNegativeNumber);
  sub.add_option("--max-rows", options->max_rows,
                 "Table: changed images listed per repository (0: all)");
  sub.add_option("--concurrency", options->concurrency,
                 "Repositories worked on at once (default 4)")
      ->check(CLI::Range(1, 32));
  sub.add_flag("--yes,-y", options->yes, "Delete without asking");
  sub.add_flag("--quiet,-q", options->quiet, "Totals and problems only; no progress line");
  sub.callback([&run, options] { run = [options] { return run_apply(*options); }; });
}

}  // namespace regsweep::cli
