// Archives and restores through apply_deletions (UpdateImageStorageClass, one image a call):
// journaled like deletions, re-checked for their storage class, reported on their own; and their
// interrupted intents settled by the storage class the image is in now.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "app/deletions.hpp"
#include "app/settle_interrupted.hpp"
#include "support/fake_journal.hpp"
#include "support/fake_registry.hpp"

namespace regsweep {
namespace {

using testing::FakeRegistry;
using ::testing::SizeIs;

ImageRecord image(const std::string& digest, ImageStatus status = ImageStatus::active,
                  std::vector<std::string> tags = {}) {
  ImageRecord r;
  r.digest = digest;
  r.tags = std::move(tags);
  r.size_bytes = 1000;
  r.pushed_at = 1'700'000'000'000;
  r.status = status;
  return r;
}

DeletionItem change(const ImageRecord& image, ItemAction action) {
  return {{image.digest, ""}, image, false, "rule 1", action};
}

TEST(StorageClassChanges, ArchivesExactlyThePlannedImagesAndJournalsEach) {
  FakeRegistry registry;
  registry.archive_time = 1'800'000'000'000;
  const auto a = image("sha256:a", ImageStatus::active, {"v1"});
  const auto b = image("sha256:b");
  registry.add_repository("app", {a, b, image("sha256:stays")});
  testing::FakeJournal journal;
  ApplyOptions options;
  options.journal = &journal;
  options.run_id = "run-1";
  const auto report = apply_deletions(
      registry, {{"app", {change(a, ItemAction::archive), change(b, ItemAction::archive)}}},
      options);
  EXPECT_EQ(report.archived, 2u);
  EXPECT_EQ(report.bytes_archived, 2000u);
  EXPECT_EQ(report.deleted + report.failed + report.skipped, 0u);
  EXPECT_EQ(report.bytes_freed, 0u);
  for (const auto& now : registry.images("app")) {
    EXPECT_EQ(now.status,
              now.digest == "sha256:stays" ? ImageStatus::active : ImageStatus::archived)
        << now.digest;
  }
  EXPECT_THAT(registry.images("app"), SizeIs(3));  // nothing deleted
  EXPECT_THAT(registry.calls("delete_images"), SizeIs(0));
  EXPECT_THAT(registry.calls("update_storage_class"), SizeIs(2));
  EXPECT_THAT(registry.calls("describe_images"), SizeIs(1));  // the re-check
  const auto intents = journal.records(JournalKind::intent);
  const auto results = journal.records(JournalKind::result);
  ASSERT_THAT(intents, SizeIs(2));
  ASSERT_THAT(results, SizeIs(2));
  for (const auto& r : intents) {
    EXPECT_EQ(r.action, JournalAction::archive);
    EXPECT_EQ(r.manifest_note, "");  // no manifest read (a pull) for an archive
  }
  for (const auto& r : results) {
    EXPECT_EQ(r.action, JournalAction::archive);
    EXPECT_EQ(r.outcome, JournalOutcome::archived);
  }
  EXPECT_TRUE(journal.open_intents().empty());
}

TEST(StorageClassChanges, TheReCheckLeavesAloneWhatIsNoLongerInThePlannedClass) {
  FakeRegistry registry;
  const auto planned = image("sha256:a");  // planned while ACTIVE
  registry.add_repository(
      "app", {image("sha256:a", ImageStatus::archived), image("sha256:r", ImageStatus::active)});
  const auto report =
      apply_deletions(registry,
                      {{"app",
                        {change(planned, ItemAction::archive),
                         change(image("sha256:r", ImageStatus::archived), ItemAction::restore)}}},
                      {});
  EXPECT_EQ(report.skipped, 2u);
  EXPECT_THAT(registry.calls("update_storage_class"), SizeIs(0));
  for (const auto& o : report.outcomes) EXPECT_EQ(o.code, "StorageClassChanged");
}

TEST(StorageClassChanges, RestoresAnswerActivatingAndFailuresAreReported) {
  FakeRegistry registry;
  const auto a = image("sha256:a", ImageStatus::archived);
  const auto b = image("sha256:b", ImageStatus::archived);
  registry.add_repository("app", {a, b});
  registry.fail_storage_class = {"sha256:b"};
  const auto report = apply_deletions(
      registry, {{"app", {change(a, ItemAction::restore), change(b, ItemAction::restore)}}}, {});
  EXPECT_EQ(report.restored, 1u);
  EXPECT_EQ(report.failed, 1u);
  EXPECT_TRUE(report.any_failed());
  for (const auto& o : report.outcomes) {
    if (o.item.image.digest == "sha256:a") {
      EXPECT_EQ(o.result, ItemResult::restored);
      EXPECT_EQ(o.detail, "restoring (ACTIVATING)");
    } else {
      EXPECT_EQ(o.result, ItemResult::failed);
      EXPECT_EQ(o.code, "ServerException");
    }
  }
}

TEST(StorageClassChanges, DeletionsOfAnIndexGoBeforeArchivesOfOtherImages) {
  FakeRegistry registry;
  auto index = image("sha256:index", ImageStatus::active, {"v1"});
  index.child_digests = {"sha256:child"};
  const auto child = image("sha256:child");
  registry.add_repository("app", {index, child});
  const auto report = apply_deletions(
      registry,
      {{"app", {change(child, ItemAction::archive), {{index.digest, ""}, index, true, "rule 1"}}}},
      {});
  EXPECT_EQ(report.deleted, 1u);
  EXPECT_EQ(report.archived, 1u);
  const auto calls = registry.calls();
  std::vector<std::string> order;
  for (const auto& call : calls)
    if (call.operation != "describe_images") order.push_back(call.operation);
  EXPECT_EQ(order, (std::vector<std::string>{"delete_images", "update_storage_class"}));
}

JournalRecord intent(const std::string& digest, JournalAction action) {
  JournalRecord r;
  r.kind = JournalKind::intent;
  r.action = action;
  r.run_id = "run-old";
  r.timestamp = 1;
  r.registry = "reg";
  r.repository = "app";
  r.digest = digest;
  return r;
}

TEST(StorageClassChanges, InterruptedArchivesAndRestoresSettleByTheClassTheImageIsInNow) {
  FakeRegistry registry;
  registry.add_repository("app", {image("sha256:archived", ImageStatus::archived),
                                  image("sha256:active"), image("sha256:back")});
  const std::vector<JournalRecord> records = {
      intent("sha256:archived", JournalAction::archive),
      intent("sha256:active", JournalAction::archive),
      intent("sha256:back", JournalAction::restore),
      intent("sha256:absent", JournalAction::archive),
  };
  testing::FakeJournal journal;
  ReconcileOptions options;
  options.run_id = "run-new";
  options.registry = "reg";
  const auto report = reconcile_interrupted(registry, records, journal, options);
  EXPECT_EQ(report.changed, 2u);
  EXPECT_EQ(report.not_deleted, 1u);
  EXPECT_EQ(report.gone, 1u);
  std::map<std::string, JournalRecord> by_digest;
  for (const auto& r : journal.records()) by_digest[r.digest] = r;
  EXPECT_EQ(by_digest["sha256:archived"].outcome, JournalOutcome::archived);
  EXPECT_EQ(by_digest["sha256:active"].outcome, JournalOutcome::failed);
  EXPECT_EQ(by_digest["sha256:active"].error_code, "Interrupted");
  EXPECT_EQ(by_digest["sha256:back"].outcome, JournalOutcome::restored);
  EXPECT_EQ(by_digest["sha256:absent"].outcome, JournalOutcome::gone);
  EXPECT_EQ(by_digest["sha256:archived"].action, JournalAction::archive);
  EXPECT_EQ(by_digest["sha256:back"].action, JournalAction::restore);
  std::vector<JournalRecord> all = records;
  for (const auto& r : journal.records()) all.push_back(r);
  EXPECT_TRUE(open_intents(all).empty());
}

}  // namespace
}  // namespace regsweep
