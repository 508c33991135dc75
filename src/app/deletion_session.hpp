// The one way anything is deleted (ARCHITECTURE.md): apply, apply --plan, delete, run and the
// web UI open a DeletionSession only once deleting is consented to (--yes, or the answer to the
// one question), and delete only through it. It owns the journal (--journal, else
// <state dir>/journal.jsonl), the lock directory (<state dir>/locks) and the run id. Journal
// records and locks are keyed by each registry's identity (its account and region: never a
// display name), so every path that deletes excludes the others repository by repository, and
// settles what any of them left open, whichever account or command it was.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/concurrency.hpp"
#include "app/deletions.hpp"
#include "app/events.hpp"
#include "journal/journal.hpp"
#include "journal/state_dir.hpp"
#include "registry/registry.hpp"
#include "util/clock.hpp"

namespace regsweep {

struct SessionOptions {
  std::string journal;  // empty: the state directory's journal.jsonl
  GetEnv env = process_env();
  int concurrency = k_default_concurrency;  // repositories deleted in at once per registry
};

// Which repositories' leftovers to settle: true for a repository this run selects.
using RepositoryFilter = std::function<bool(const std::string& repository)>;

class DeletionSession {
 public:
  // Fails (and nothing may be deleted) when the journal cannot be opened or no state directory is
  // known.
  static Result<std::unique_ptr<DeletionSession>> open(const SessionOptions& options, Clock& clock);

  // Settles the intents earlier runs left open (journal/journal.hpp: open_intents) in the
  // repositories of `identity` that `selected` names — whether or not anything is deleted there
  // now — by describing them again (app/settle_interrupted.hpp). Notes say what was settled and
  // what stays open (a locked repository, a failed describe): never a failure of the run.
  void settle(Registry& registry, const RegistryIdentity& identity,
              const RepositoryFilter& selected, Events& events);

  // Deletes `work` from `registry`: each repository under its lock, each batch re-checked and
  // journaled (app/deletions.hpp).
  ApplyReport delete_images(Registry& registry, const RegistryIdentity& identity,
                            const std::vector<RepositoryDeletions>& work,
                            const std::function<void(const ApplyProgress&)>& on_progress = {});

  const std::string& journal_path() const { return m_journal_path; }
  const std::string& run_id() const { return m_run_id; }

 private:
  DeletionSession(Clock& clock) : m_clock(clock) {}

  Clock& m_clock;
  std::unique_ptr<FileJournal> m_journal;
  std::string m_journal_path;
  std::string m_lock_directory;
  std::string m_run_id;
  int m_concurrency = k_default_concurrency;
  // The journal's records, read once at the first settle (it may be large).
  std::optional<std::vector<JournalRecord>> m_records;
};

// The journal and lock key of a registry: its account ("" for a snapshot) and region.
std::string journal_registry_key(const RegistryIdentity& identity);

}  // namespace regsweep
