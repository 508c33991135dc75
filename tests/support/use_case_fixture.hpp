// What the use-case tests (src/app/*_use_case tests) share: fake registries opened as a use case
// opens real ones, a state directory of the test's own (journal and locks), a manual clock, and an
// Events sink that records notes.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/deletion_session.hpp"
#include "app/events.hpp"
#include "app/registry_sources.hpp"
#include "journal/journal.hpp"
#include "support/fake_registry.hpp"
#include "support/manual_clock.hpp"
#include "support/temp_dir.hpp"

namespace regsweep::testing {

class RecordingEvents final : public Events {
 public:
  void note(NoteKind kind, std::string_view line) override {
    (kind == NoteKind::warning ? warnings : infos).emplace_back(line);
  }
  bool said(const std::string& text) const;
  std::vector<std::string> infos, warnings;
};

class UseCaseFixture {
 public:
  UseCaseFixture();
  // A fake ECR registry of `account`/`region`, owned by opened(); the pointer stays valid.
  FakeRegistry& add_registry(const std::string& label, const std::string& account = "111111111111",
                             const std::string& region = "us-east-1");
  std::vector<OpenedRegistry>& opened() { return m_opened; }
  // Journal in the test's state directory, XDG_STATE_HOME pointing there.
  SessionOptions session() const;
  std::string journal_path() const { return m_state / "journal.jsonl"; }
  std::string lock_directory() const { return m_state.path() + "/regsweep/locks"; }
  std::vector<JournalRecord> journal() const;

  ManualClock clock{1'790'000'000'000};  // 2026-09-20
  RecordingEvents events;

 private:
  TempDir m_state;
  std::vector<OpenedRegistry> m_opened;
};

// An image pushed `age` before the fixture's clock.
ImageRecord aged(const std::string& digest, std::vector<std::string> tags, EpochMillis age,
                 EpochMillis now = 1'790'000'000'000);

}  // namespace regsweep::testing
