#include "app/deletion_session.hpp"

#include <unistd.h>

#include "app/settle_interrupted.hpp"
#include "util/size.hpp"

namespace regsweep {

std::string journal_registry_key(const RegistryIdentity& identity) {
  return identity.account;
}

Result<std::unique_ptr<DeletionSession>> DeletionSession::open(const SessionOptions& options,
                                                               Clock& clock) {
  std::unique_ptr<DeletionSession> session(new DeletionSession(clock));
  auto state = default_state_directory(options.env);
  if (!state) return std::move(state).take_error();
  session->m_lock_directory = *state + "/locks";
  session->m_journal_path = options.journal.empty() ? *state + "/journal.jsonl" : options.journal;
  auto journal = FileJournal::open(session->m_journal_path);
  if (!journal) return std::move(journal).take_error();
  session->m_journal = std::move(journal).value();
  session->m_run_id = std::to_string(clock.now()) + "-" + std::to_string(::getpid());
  session->m_concurrency = options.concurrency;
  return session;
}

void DeletionSession::settle(Registry& registry, const RegistryIdentity& identity,
                             const RepositoryFilter& selected, Events& events) {
  if (!m_records) {
    auto contents = read_journal_file(m_journal_path);
    if (!contents) {
      // A journal too large or unreadable to settle from: its open intents stay open (settling
      // never deletes anything), and this run's records still go to it.
      if (contents.error().code != ErrorCode::not_found) events.warn(contents.error().message);
      m_records.emplace();
    } else {
      m_records = std::move(contents->records);
    }
  }
  ReconcileOptions options;
  options.run_id = m_run_id;
  options.registry = journal_registry_key(identity);
  options.region = identity.region;
  options.lock_directory = m_lock_directory;
  options.selects = selected ? selected : [](const std::string&) { return true; };
  options.clock = &m_clock;
  const auto report = reconcile_interrupted(registry, *m_records, *m_journal, options);
  if (report.gone + report.not_deleted + report.changed > 0) {
    const std::size_t settled = report.gone + report.not_deleted + report.changed;
    events.info(
        "settled " + counted(settled, "deletion", "deletions") +
        " an interrupted run left open: " + std::to_string(report.gone) + " gone, " +
        std::to_string(report.not_deleted) + " not deleted" +
        (report.changed ? ", " + std::to_string(report.changed) + " archived or restored" : "") +
        " (journal " + m_journal_path + ")");
  }
  for (const auto& problem : report.problems) events.warn(problem);
}

ApplyReport DeletionSession::delete_images(
    Registry& registry, const RegistryIdentity& identity,
    const std::vector<RepositoryDeletions>& work,
    const std::function<void(const ApplyProgress&)>& on_progress) {
  ApplyOptions options;
  options.journal = m_journal.get();
  options.lock_directory = m_lock_directory;
  options.run_id = m_run_id;
  options.registry = journal_registry_key(identity);
  options.region = identity.region;
  options.clock = &m_clock;
  options.concurrency = m_concurrency;
  options.on_progress = on_progress;
  return apply_deletions(registry, work, options);
}

}  // namespace regsweep
