// What every deleting command (apply, delete) sets up before its first delete call: the journal
// (--journal, else the state directory's journal.jsonl), the lock directory (<state dir>/locks),
// a run id; then, before planning, the settling of intents a killed earlier run left open
// (sweep/resume.hpp). One place, so apply and delete cannot drift apart.
#pragma once

#include <memory>
#include <set>
#include <string>

#include "journal/journal.hpp"
#include "registry/registry.hpp"
#include "app/deletions.hpp"

namespace regsweep::cli {

struct DeletionSafety {
  std::unique_ptr<FileJournal> journal;
  std::string journal_path;
  std::string lock_directory;
  std::string run_id;
};

// Fails (nothing may be deleted then) when the journal cannot be opened or no state directory is
// known.
Result<DeletionSafety> open_deletion_safety(const std::string& journal_flag);

// Settles the open intents of `registry_name`/`region` in `repositories` (empty: all); prints a
// line per settled group and per problem on stderr unless quiet. Never fails the run: what cannot
// be settled stays open for the next one.
void resume_interrupted(const std::string& command, Registry& registry,
                        const DeletionSafety& safety, const std::string& registry_name,
                        const std::string& region, const std::set<std::string>& repositories,
                        bool quiet);

// ApplyOptions with the journal, lock directory, run id and clock filled in.
ApplyOptions safe_apply_options(const DeletionSafety& safety, const std::string& registry_name,
                                const std::string& region);

}  // namespace regsweep::cli
