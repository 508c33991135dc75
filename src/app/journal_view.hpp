// Reading the deletion journal for a front end that may not include journal/ (the web UI): the
// records of `journal show`, flattened to display values, with intents that have no result marked
// interrupted (journal/journal.hpp: open_intents). Reading changes nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "journal/state_dir.hpp"
#include "util/result.hpp"
#include "util/time.hpp"

namespace regsweep {

struct JournalEntry {
  std::string kind;    // "intent" | "result"
  std::string action;  // "delete", "archive", "restore", "put" (journal restore)
  std::string run_id;
  EpochMillis timestamp = 0;
  std::string registry;
  std::string region;
  std::string repository;
  std::string digest;
  std::vector<std::string> tags;
  std::optional<std::uint64_t> size_bytes;
  std::optional<int> rule_priority;
  std::string reason;
  std::string
      outcome;  // "deleted", "archived", "restored", "failed", "skipped", "gone"; "" for an intent
  std::string error_code;
  bool interrupted = false;  // an intent without a result
};

struct JournalView {
  std::string path;
  bool exists = false;                // no journal yet: nothing has been deleted with it
  std::vector<JournalEntry> entries;  // oldest first
  std::size_t bad_lines = 0;
};

// `path` empty: the state directory's journal (what the deletion session writes to).
Result<JournalView> read_journal_view(const std::string& path, const GetEnv& env);

}  // namespace regsweep
