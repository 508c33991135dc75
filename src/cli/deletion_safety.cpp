#include "cli/deletion_safety.hpp"

#include <unistd.h>

#include <iostream>

#include "cli/cli_support.hpp"
#include "journal/state_dir.hpp"
#include "app/settle_interrupted.hpp"

namespace regsweep::cli {

Result<DeletionSafety> open_deletion_safety(const std::string& journal_flag) {
  DeletionSafety safety;
  auto state = default_state_directory(process_env());
  if (!state) return std::move(state).take_error();
  safety.lock_directory = *state + "/locks";
  safety.journal_path = journal_flag.empty() ? *state + "/journal.jsonl" : journal_flag;
  auto journal = FileJournal::open(safety.journal_path);
  if (!journal) return std::move(journal).take_error();
  safety.journal = std::move(journal).value();
  safety.run_id = std::to_string(clock_now()) + "-" + std::to_string(::getpid());
  return safety;
}

void resume_interrupted(const std::string& command, Registry& registry,
                        const DeletionSafety& safety, const std::string& registry_name,
                        const std::string& region, const std::set<std::string>& repositories,
                        bool quiet) {
  auto contents = read_journal_file(safety.journal_path);
  if (!contents) {
    std::cerr << "regsweep " << command << ": warning: " << contents.error().message << '\n';
    return;
  }
  ReconcileOptions options;
  options.run_id = safety.run_id;
  options.registry = registry_name;
  options.region = region;
  options.repositories = repositories;
  options.lock_directory = safety.lock_directory;
  options.now = [] { return clock_now(); };
  const auto report = reconcile_interrupted(registry, contents->records, *safety.journal, options);
  if (!quiet && report.gone + report.not_deleted > 0) {
    std::cerr << "regsweep " << command << ": settled " << report.gone + report.not_deleted
              << " deletions an interrupted run left open: " << report.gone << " gone, "
              << report.not_deleted << " not deleted (journal " << safety.journal_path << ")\n";
  }
  for (const auto& problem : report.problems) {
    std::cerr << "regsweep " << command << ": warning: " << problem << '\n';
  }
}

ApplyOptions safe_apply_options(const DeletionSafety& safety, const std::string& registry_name,
                                const std::string& region) {
  ApplyOptions options;
  options.journal = safety.journal.get();
  options.lock_directory = safety.lock_directory;
  options.run_id = safety.run_id;
  options.registry = registry_name;
  options.region = region;
  options.now = [] { return clock_now(); };
  return options;
}

}  // namespace regsweep::cli
