#include "support/fake_journal.hpp"

#include <algorithm>
#include <map>

namespace regsweep::testing {

Status FakeJournal::append(const JournalRecord& record) {
  return append_all(std::span<const JournalRecord>(&record, 1));
}

Status FakeJournal::append_all(std::span<const JournalRecord> records) {
  std::lock_guard lock(m_mutex);
  ++m_calls;
  const std::size_t first = m_appends;
  m_appends += records.size();
  if (m_fail_from && m_appends > *m_fail_from) {
    return make_error(ErrorCode::internal,
                      "fake journal: append " + std::to_string(first) + " fails (injected)");
  }
  m_records.insert(m_records.end(), records.begin(), records.end());
  return ok_status();
}

std::size_t FakeJournal::append_calls() const {
  std::lock_guard lock(m_mutex);
  return m_calls;
}

std::vector<JournalRecord> FakeJournal::records() const {
  std::lock_guard lock(m_mutex);
  return m_records;
}

std::vector<JournalRecord> FakeJournal::records(JournalKind kind) const {
  std::lock_guard lock(m_mutex);
  std::vector<JournalRecord> out;
  std::copy_if(m_records.begin(), m_records.end(), std::back_inserter(out),
               [&](const JournalRecord& r) { return r.kind == kind; });
  return out;
}

std::vector<std::string> FakeJournal::open_intents() const {
  std::lock_guard lock(m_mutex);
  std::map<std::string, int> open;  // repository + digest -> intents minus results
  for (const auto& r : m_records)
    open[r.repository + "@" + r.digest] += r.kind == JournalKind::intent ? 1 : -1;
  std::vector<std::string> out;
  for (const auto& [key, count] : open) {
    if (count > 0) out.push_back(key.substr(key.find('@') + 1));
  }
  return out;
}

void FakeJournal::fail_from(std::size_t index) {
  std::lock_guard lock(m_mutex);
  m_fail_from = index;
}

}  // namespace regsweep::testing
