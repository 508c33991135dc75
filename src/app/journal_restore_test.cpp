// Undo from the journal: which deletions can be put back (manifest kept, this registry, the
// filters), tags another image carries now left there, PutImage per tag, children before
// indexes, "already there" and "layers gone" reported.
#include "app/journal_restore.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/policy_fixtures.hpp"
#include "support/use_case_fixture.hpp"

namespace regsweep {
namespace {

using ::testing::ElementsAre;
using ::testing::SizeIs;

JournalRecord deletion(JournalKind kind, const std::string& run, const std::string& repository,
                       const std::string& digest, std::vector<std::string> tags,
                       std::optional<std::string> manifest = "{\"schemaVersion\":2}") {
  JournalRecord r;
  r.kind = kind;
  r.run_id = run;
  r.timestamp = 1;
  r.registry = "111111111111";
  r.region = "us-east-1";
  r.repository = repository;
  r.digest = digest;
  r.tags = std::move(tags);
  if (kind == JournalKind::intent) {
    r.manifest = std::move(manifest);
    r.manifest_media_type = "application/vnd.oci.image.manifest.v1+json";
    r.size_bytes = 10;
  } else {
    r.outcome = JournalOutcome::deleted;
  }
  return r;
}

std::vector<JournalRecord> both(const std::string& run, const std::string& repository,
                                const std::string& digest, std::vector<std::string> tags,
                                std::optional<std::string> manifest = "{\"schemaVersion\":2}") {
  return {deletion(JournalKind::intent, run, repository, digest, tags, manifest),
          deletion(JournalKind::result, run, repository, digest, tags)};
}

std::vector<JournalRecord> journal_of(std::initializer_list<std::vector<JournalRecord>> parts) {
  std::vector<JournalRecord> out;
  for (const auto& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

TEST(UndoableDeletions, DeletionsWithTheirManifestsTagsMergedFiltered) {
  auto records = journal_of({both("r1", "app", "sha256:a", {"v1"}),
                             both("r1", "app", "sha256:a", {"v2"}),  // a second tag of it
                             both("r2", "web", "sha256:w", {}),
                             both("r2", "app", "sha256:nomanifest", {}, std::nullopt)});
  auto failed = deletion(JournalKind::result, "r3", "app", "sha256:f", {});
  failed.outcome = JournalOutcome::failed;
  records.push_back(deletion(JournalKind::intent, "r3", "app", "sha256:f", {}));
  records.push_back(failed);
  auto archived = both("r4", "app", "sha256:archived", {});
  for (auto& r : archived) r.action = JournalAction::archive;
  records.insert(records.end(), archived.begin(), archived.end());
  auto elsewhere = both("r5", "app", "sha256:other-account", {});
  for (auto& r : elsewhere) r.registry = "222222222222";
  records.insert(records.end(), elsewhere.begin(), elsewhere.end());

  auto undo = undoable_deletions(records, "111111111111", "us-east-1", {});
  ASSERT_THAT(undo.images, SizeIs(2));
  EXPECT_EQ(undo.images[0].image.digest, "sha256:a");
  EXPECT_THAT(undo.images[0].image.tags, ElementsAre("v1", "v2"));
  EXPECT_EQ(undo.images[0].image.manifest, "{\"schemaVersion\":2}");
  EXPECT_EQ(undo.images[1].image.digest, "sha256:w");
  EXPECT_THAT(undo.without_manifest, ElementsAre("app sha256:nomanifest"));

  EXPECT_THAT(undoable_deletions(records, "111111111111", "us-east-1", {"r2", {}, {}}).images,
              SizeIs(1));
  EXPECT_THAT(undoable_deletions(records, "111111111111", "us-east-1", {"", {"w*"}, {}}).images,
              SizeIs(1));
  EXPECT_THAT(
      undoable_deletions(records, "111111111111", "us-east-1", {"", {}, {"sha256:a"}}).images,
      SizeIs(1));
}

class JournalRestore : public ::testing::Test {
 protected:
  JournalRestore() : registry(f.add_registry("us-east-1")) {}

  // Writes `records` as the journal the session reads.
  void journal(const std::vector<JournalRecord>& records) {
    auto file = FileJournal::open(f.journal_path());
    ASSERT_TRUE(file.ok()) << file.error().message;
    for (const auto& r : records) ASSERT_TRUE((*file)->append(r).ok());
  }

  JournalRestoreOutcome restore(bool yes = true) {
    JournalRestoreRequest r;
    r.session = f.session();
    r.consent.yes = yes;
    return restore_from_journal(f.opened(), r, f.clock, f.events);
  }

  testing::UseCaseFixture f;
  testing::FakeRegistry& registry;
};

TEST_F(JournalRestore, PutsADeletedImageBackWithItsTagsAndJournalsIt) {
  registry.add_repository("app", {});
  registry.put_digest = "sha256:a";
  journal(both("r1", "app", "sha256:a", {"v1", "latest"}));
  const auto outcome = restore();
  EXPECT_EQ(outcome.deletion.report.restored, 1u);
  ASSERT_THAT(registry.images("app"), SizeIs(1));
  EXPECT_EQ(registry.images("app")[0].digest, "sha256:a");
  EXPECT_THAT(registry.images("app")[0].tags, ElementsAre("v1", "latest"));
  const auto puts = registry.calls("put_image");
  ASSERT_THAT(puts, SizeIs(2));
  std::size_t put_records = 0;
  for (const auto& r : f.journal()) put_records += r.action == JournalAction::put;
  EXPECT_EQ(put_records, 2u);  // intent and result
  // Again: already there, nothing put.
  const auto again = restore();
  EXPECT_EQ(again.deletion.report.skipped, 1u);
  EXPECT_EQ(again.deletion.report.outcomes[0].detail, "already there");
  EXPECT_THAT(registry.calls("put_image"), SizeIs(2));
}

TEST_F(JournalRestore, ATagCarriedByAnotherImageNowIsLeftThere) {
  registry.add_repository("app", {testing::aged("sha256:newer", {"latest"}, 1)});
  registry.put_digest = "sha256:a";
  journal(both("r1", "app", "sha256:a", {"v1", "latest"}));
  const auto outcome = restore();
  EXPECT_THAT(outcome.tags_moved, ElementsAre("app:latest now on sha256:newer"));
  for (const auto& image : registry.images("app")) {
    if (image.digest == "sha256:a") {
      EXPECT_THAT(image.tags, ElementsAre("v1"));
    } else {
      EXPECT_THAT(image.tags, ElementsAre("latest"));
    }
  }
}

TEST_F(JournalRestore, LayersGoneIsReportedAsSuchAndFails) {
  registry.add_repository("app", {});
  registry.layers_gone = true;
  journal(both("r1", "app", "sha256:a", {"v1"}));
  const auto outcome = restore();
  ASSERT_EQ(outcome.deletion.report.failed, 1u);
  EXPECT_EQ(outcome.deletion.report.outcomes[0].code, "LayersNotFoundException");
  EXPECT_THAT(outcome.deletion.report.outcomes[0].detail, ::testing::HasSubstr("layers gone"));
  EXPECT_TRUE(registry.images("app").empty());
}

TEST_F(JournalRestore, ChildrenGoBackBeforeTheirIndex) {
  registry.add_repository("app", {});
  auto records = journal_of(
      {both("r1", "app", "sha256:index", {"v1"}), both("r1", "app", "sha256:child", {})});
  records[0].manifest_media_type = "application/vnd.oci.image.index.v1+json";
  journal(records);
  const auto outcome = restore();
  const auto puts = registry.calls("put_image");
  ASSERT_THAT(puts, SizeIs(2));
  EXPECT_EQ(puts[0].ids[0].tag, "");    // the untagged child first
  EXPECT_EQ(puts[1].ids[0].tag, "v1");  // then the index
}

}  // namespace
}  // namespace regsweep
