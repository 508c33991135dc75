// An in-memory Journal for unit tests of the apply path: it records every record appended, in
// order, and can be told to fail (from the Nth append on), so a test can assert that no delete call
// is made without a durable intent record, and that every intent has its result. Thread-safe.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "journal/journal.hpp"

namespace regsweep::testing {

class FakeJournal final : public Journal {
 public:
  Status append(const JournalRecord& record) override;
  // All or nothing, like a file's single write: the batch fails whole when any of its records
  // would be an append at or past fail_from.
  Status append_all(std::span<const JournalRecord> records) override;
  std::size_t append_calls() const;  // append() and append_all() calls, i.e. fsyncs of a file

  std::vector<JournalRecord> records() const;
  std::vector<JournalRecord> records(JournalKind kind) const;
  // Digests with an intent record but no result record after it.
  std::vector<std::string> open_intents() const;

  // Appends number `fail_from` (0-based) and later fail with `internal` and are not recorded.
  void fail_from(std::size_t index);

 private:
  mutable std::mutex m_mutex;
  std::vector<JournalRecord> m_records;
  std::size_t m_appends = 0;  // records offered
  std::size_t m_calls = 0;
  std::optional<std::size_t> m_fail_from;
};

}  // namespace regsweep::testing
