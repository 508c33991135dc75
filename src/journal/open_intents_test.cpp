#include <gtest/gtest.h>

#include "journal/journal.hpp"

namespace regsweep {
namespace {

JournalRecord rec(JournalKind kind, const std::string& run, const std::string& digest,
                  std::vector<std::string> tags = {}) {
  JournalRecord r;
  r.kind = kind;
  r.run_id = run;
  r.repository = "app";
  r.digest = digest;
  r.tags = std::move(tags);
  return r;
}

TEST(OpenIntents, AnIntentIsClosedOnlyByALaterResultOfTheSameRunAndImage) {
  const auto I = JournalKind::intent;
  const auto R = JournalKind::result;
  const std::vector<JournalRecord> records = {
      rec(R, "r1", "sha256:a"),          // 0: a result before any intent closes nothing
      rec(I, "r1", "sha256:a"),          // 1: open (the result above came before it)
      rec(I, "r1", "sha256:b"),          // 2: closed by 4
      rec(I, "r2", "sha256:b"),          // 3: open: another run
      rec(R, "r1", "sha256:b"),          // 4
      rec(I, "r1", "sha256:c", {"t1"}),  // 5: closed by 7
      rec(I, "r1", "sha256:c", {"t2"}),  // 6: open: another tag of the same image
      rec(R, "r1", "sha256:c", {"t1"}),  // 7
  };
  EXPECT_EQ(open_intents(records), (std::vector<std::size_t>{1, 3, 6}));
}

TEST(OpenIntents, ARecordedRoundTripKeepsGoneAndTheManifestNote) {
  JournalRecord r = rec(JournalKind::result, "r", "sha256:a");
  r.outcome = JournalOutcome::gone;
  r.manifest_note = "manifest not read: throttled";
  auto parsed = parse_journal_line(to_journal_line(r));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->outcome, JournalOutcome::gone);
  EXPECT_EQ(parsed->manifest_note, "manifest not read: throttled");
}

}  // namespace
}  // namespace regsweep
