// Resuming after a killed run. A run killed between an item's intent record and its result leaves
// an open intent (journal/journal.hpp: open_intents): the image may or may not be gone. Before the
// next apply/delete plans anything, it settles the open intents of the registry/region (and the
// repositories) it is about to work on, by asking the registry:
//   absent  -> result "gone" ("gone (confirmed after interruption)"),
//   present -> result "failed", code Interrupted ("not deleted"), or "gone" when the tags the
//              intent was about are no longer on it (a tag removal that went through).
// The result carries the intent's run id, so it closes that intent, and names the reconciling run.
// A repository locked by another run (possibly the one still writing those intents) or whose
// describe fails is left open and reported; the next run tries again. Nothing is deleted here.
// Archive and restore intents are settled by the storage class the image is in now (archived /
// restored, or failed Interrupted when unchanged); a put intent (journal restore) by whether the
// image is there.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "journal/journal.hpp"
#include "registry/registry.hpp"
#include "util/clock.hpp"

namespace regsweep {

struct ReconcileOptions {
  std::string run_id;  // the reconciling run, named in the records' reason
  std::string registry;
  std::string region;
  std::set<std::string> repositories;  // empty: every repository of registry/region
  std::string lock_directory;          // empty: no locking (tests)
  // Which repositories' intents to settle besides `repositories` (e.g. a glob selection); unset:
  // only `repositories` (all when that is empty too).
  std::function<bool(const std::string&)> selects;
  Clock* clock = &system_clock();
};

struct ReconcileReport {
  std::size_t gone = 0;               // confirmed absent (result "gone")
  std::size_t not_deleted = 0;        // not done: still present (or unchanged, or still absent)
  std::size_t changed = 0;            // an archive, restore or put that went through
  std::size_t left_open = 0;          // could not be settled this time
  std::vector<std::string> problems;  // one line per repository left open, or append failure
};

ReconcileReport reconcile_interrupted(Registry& registry, const std::vector<JournalRecord>& records,
                                      Journal& journal, const ReconcileOptions& options);

}  // namespace regsweep
