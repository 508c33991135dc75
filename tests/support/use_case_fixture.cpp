#include "support/use_case_fixture.hpp"

#include <algorithm>

namespace regsweep::testing {

bool RecordingEvents::said(const std::string& text) const {
  const auto has = [&](const std::string& line) { return line.find(text) != std::string::npos; };
  return std::any_of(infos.begin(), infos.end(), has) ||
         std::any_of(warnings.begin(), warnings.end(), has);
}

UseCaseFixture::UseCaseFixture() = default;

FakeRegistry& UseCaseFixture::add_registry(const std::string& label, const std::string& account,
                                           const std::string& region) {
  auto fake = std::make_unique<FakeRegistry>();
  fake->identity_value = {RegistryKind::ecr, account, region};
  FakeRegistry& ref = *fake;
  m_opened.push_back({label, std::move(fake), account, region, nullptr});
  return ref;
}

SessionOptions UseCaseFixture::session() const {
  SessionOptions options;
  options.journal = journal_path();
  const std::string state = m_state.path();
  options.env = [state](std::string_view name) -> std::optional<std::string> {
    if (name == "XDG_STATE_HOME") return state;
    return std::nullopt;
  };
  return options;
}

std::vector<JournalRecord> UseCaseFixture::journal() const {
  auto contents = read_journal_file(journal_path());
  return contents ? contents->records : std::vector<JournalRecord>{};
}

ImageRecord aged(const std::string& digest, std::vector<std::string> tags, EpochMillis age,
                 EpochMillis now) {
  ImageRecord r;
  r.digest = digest;
  r.tags = std::move(tags);
  r.pushed_at = now - age;
  r.size_bytes = 1'000;
  return r;
}

}  // namespace regsweep::testing
