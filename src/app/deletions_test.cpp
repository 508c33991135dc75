// apply_deletions against the recording FakeRegistry: batching, re-check, failures surfaced,
// index-before-children ordering, bounded concurrency, nothing deleted outside the plan.
#include "app/deletions.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/fake_journal.hpp"
#include "support/fake_registry.hpp"
#include "support/manual_clock.hpp"

namespace regsweep {
namespace {

using testing::FakeRegistry;
using ::testing::SizeIs;

ImageRecord image(const std::string& digest, std::vector<std::string> tags = {},
                  std::uint64_t size = 100) {
  ImageRecord r;
  r.digest = digest;
  r.tags = std::move(tags);
  r.size_bytes = size;
  r.pushed_at = 1'700'000'000'000;
  return r;
}

std::vector<ImageRecord> many(const std::string& prefix, int n) {
  std::vector<ImageRecord> out;
  for (int i = 0; i < n; ++i) out.push_back(image("sha256:" + prefix + std::to_string(i)));
  return out;
}

RepositoryDeletions delete_all(const std::string& repo, const std::vector<ImageRecord>& images) {
  RepositoryDeletions work{repo, {}};
  for (const auto& i : images) work.items.push_back({{i.digest, ""}, i, true, "test"});
  return work;
}

TEST(ApplyDeletions, DeletesEverythingPlannedInBatchesOfAtMost100) {
  FakeRegistry registry;
  auto images = many("a", 250);
  registry.add_repository("app", images);
  registry.add_repository("other", many("o", 3));
  std::vector<RepositoryDeletions> work = {delete_all("app", images)};
  work[0].items.pop_back();  // the last one stays
  const auto report = apply_deletions(registry, work, {});
  EXPECT_EQ(report.deleted, 249u);
  EXPECT_EQ(report.failed, 0u);
  EXPECT_EQ(report.bytes_freed, 249u * 100);
  EXPECT_THAT(registry.images("app"), SizeIs(1));
  EXPECT_THAT(registry.images("other"), SizeIs(3));
  const auto deletes = registry.calls("delete_images");
  ASSERT_THAT(deletes, SizeIs(3));
  for (const auto& call : deletes) EXPECT_LE(call.ids.size(), 100u);
  EXPECT_THAT(registry.calls("describe_images"), SizeIs(3));  // one re-check per batch
}

TEST(ApplyDeletions, SurfacesEveryFailureWithItsCode) {
  FakeRegistry registry;
  auto images = many("a", 5);
  registry.add_repository("app", images);
  registry.fail_delete_digests = {"sha256:a1", "sha256:a3"};
  const auto report = apply_deletions(registry, {delete_all("app", images)}, {});
  EXPECT_EQ(report.deleted, 3u);
  EXPECT_EQ(report.failed, 2u);
  EXPECT_TRUE(report.any_failed());
  for (const auto& o : report.outcomes) {
    if (o.result == ItemResult::failed) {
      EXPECT_EQ(o.code, "KmsError");
    }
  }
}

TEST(ApplyDeletions, SkipsImagesChangedSincePlanningAndCountsVanishedOnesAsGone) {
  FakeRegistry registry;
  std::vector<ImageRecord> planned = {image("sha256:x", {"old"}), image("sha256:y"),
                                      image("sha256:z")};
  std::vector<ImageRecord> now = {image("sha256:x", {"old", "prod"}), image("sha256:y")};
  registry.add_repository("app", now);
  const auto report = apply_deletions(registry, {delete_all("app", planned)}, {});
  EXPECT_EQ(report.deleted, 1u);
  EXPECT_EQ(report.skipped, 1u);
  EXPECT_EQ(report.gone, 1u);
  EXPECT_EQ(report.failed, 0u);
  ASSERT_THAT(registry.images("app"), SizeIs(1));
  EXPECT_EQ(registry.images("app")[0].digest, "sha256:x");  // re-tagged: never deleted
  for (const auto& call : registry.calls("delete_images")) {
    for (const auto& id : call.ids) EXPECT_NE(id.digest, "sha256:x");
  }
}

TEST(ApplyDeletions, ReCheckFailureDeletesNothingAndFails) {
  FakeRegistry registry;
  auto images = many("a", 3);
  registry.add_repository("app", images);
  registry.fail_describe = {"app"};
  const auto report = apply_deletions(registry, {delete_all("app", images)}, {});
  EXPECT_EQ(report.failed, 3u);
  EXPECT_TRUE(registry.calls("delete_images").empty());
  EXPECT_THAT(registry.images("app"), SizeIs(3));
}

TEST(ApplyDeletions, DeletesIndexesBeforeTheirChildren) {
  FakeRegistry registry;
  ImageRecord index = image("sha256:idx");
  index.manifest_media_type = "application/vnd.oci.image.index.v1+json";
  index.child_digests = {"sha256:c1", "sha256:c2"};
  // Children listed first in the plan: a naive single batch would be refused.
  std::vector<ImageRecord> images = {image("sha256:c1"), image("sha256:c2"), index};
  registry.add_repository("app", images);
  const auto report = apply_deletions(registry, {delete_all("app", images)}, {});
  EXPECT_EQ(report.deleted, 3u) << (report.outcomes.empty() ? "" : report.outcomes[0].detail);
  const auto deletes = registry.calls("delete_images");
  ASSERT_THAT(deletes, SizeIs(2));
  EXPECT_EQ(deletes[0].ids[0].digest, "sha256:idx");
}

TEST(ApplyDeletions, TagItemsOfOneImageStayInOneBatch) {
  FakeRegistry registry;
  registry.add_repository("app", {image("sha256:u"), image("sha256:t", {"a", "b"}, 500)});
  RepositoryDeletions work{"app", {}};
  work.items.push_back({{"sha256:u", ""}, image("sha256:u"), true, "untagged"});
  const ImageRecord planned = image("sha256:t", {"a", "b"}, 500);
  work.items.push_back({{"", "a"}, planned, false, "untag"});
  work.items.push_back({{"", "b"}, planned, true, "last tag"});
  ApplyOptions options;
  options.batch_size = 2;  // u + a would fit, but then b's re-check would see a gone and skip it
  const auto report = apply_deletions(registry, {work}, options);
  EXPECT_EQ(report.deleted, 3u);
  EXPECT_EQ(report.skipped, 0u);
  EXPECT_EQ(report.bytes_freed, 600u);
  EXPECT_TRUE(registry.images("app").empty());
  const auto deletes = registry.calls("delete_images");
  ASSERT_THAT(deletes, SizeIs(2));
  EXPECT_THAT(deletes[1].ids, SizeIs(2));
}

TEST(ApplyDeletions, WorksOnRepositoriesConcurrentlyWithinTheLimit) {
  FakeRegistry registry;
  registry.call_delay = std::chrono::milliseconds(20);
  std::vector<RepositoryDeletions> work;
  for (int r = 0; r < 8; ++r) {
    const std::string name = "repo" + std::to_string(r);
    auto images = many(name + "-", 10);
    registry.add_repository(name, images);
    work.push_back(delete_all(name, images));
  }
  ApplyOptions options;
  options.concurrency = 3;
  std::size_t last_done = 0;
  options.on_progress = [&](const ApplyProgress& p) { last_done = p.items_done; };
  const auto report = apply_deletions(registry, work, options);
  EXPECT_EQ(report.deleted, 80u);
  EXPECT_EQ(last_done, 80u);
  EXPECT_LE(registry.max_concurrent_calls(), 3);
  EXPECT_GE(registry.max_concurrent_calls(), 2);  // it did run in parallel
  // Outcomes come back grouped in input order, whatever the finishing order.
  EXPECT_EQ(report.outcomes.front().repository, "repo0");
  EXPECT_EQ(report.outcomes.back().repository, "repo7");
}

// Safety rule 4: an intent record before every delete call, a result record after it.
TEST(ApplyDeletions, JournalsEveryDeletionBeforeAndAfter) {
  FakeRegistry registry;
  auto images = many("j", 150);
  registry.add_repository("app", images);
  testing::FakeJournal journal;
  testing::ManualClock clock(1'800'000'000'000);
  ApplyOptions options;
  options.journal = &journal;
  options.run_id = "run-1";
  options.clock = &clock;
  const auto report = apply_deletions(registry, {delete_all("app", images)}, options);
  EXPECT_EQ(report.deleted, 150u);
  // Group commit: two batches, each one append (one fsync) for its intents and one for its results.
  EXPECT_EQ(journal.append_calls(), 4u);
  EXPECT_EQ(journal.records().front().timestamp, 1'800'000'000'000);
  EXPECT_THAT(journal.records(JournalKind::intent), SizeIs(150));
  EXPECT_THAT(journal.records(JournalKind::result), SizeIs(150));
  EXPECT_TRUE(journal.open_intents().empty());
  const auto records = journal.records();
  EXPECT_EQ(records.front().kind, JournalKind::intent);  // the first batch's intents come first
  EXPECT_EQ(records.front().run_id, "run-1");
  EXPECT_EQ(records.front().reason, "test");
  for (const auto& r : journal.records(JournalKind::result))
    EXPECT_EQ(r.outcome, JournalOutcome::deleted);
}

TEST(ApplyDeletions, NothingIsDeletedWhenTheJournalCannotRecordIt) {
  FakeRegistry registry;
  auto images = many("k", 150);
  registry.add_repository("app", images);
  testing::FakeJournal journal;
  journal.fail_from(150);  // the second batch's intents cannot be written
  ApplyOptions options;
  options.journal = &journal;

  const auto report = apply_deletions(registry, {delete_all("app", images)}, options);
  EXPECT_EQ(report.deleted, 100u);
  EXPECT_EQ(report.failed, 50u);
  EXPECT_THAT(registry.images("app"), SizeIs(50));
  EXPECT_THAT(registry.calls("delete_images"), SizeIs(1));
  EXPECT_EQ(report.outcomes.back().code, "JournalUnavailable");
}

// Issue 16: moto answers BatchDeleteImage of untagged images by digest with empty lists; the
// deletions happened and are reported as deleted after one describe, not as failures.
TEST(ApplyDeletions, UnconfirmedDeletionsAreCheckedNotFailed) {
  FakeRegistry registry;
  auto images = many("u", 3);
  registry.add_repository("app", images);
  registry.confirm_digest_deletions = false;
  const auto report = apply_deletions(registry, {delete_all("app", images)}, {});
  EXPECT_EQ(report.deleted, 3u);
  EXPECT_EQ(report.failed, 0u);
  EXPECT_THAT(registry.calls("describe_images"), SizeIs(2));  // the re-check, then the check
}

TEST(ApplyDeletions, AnUnconfirmedDeletionOfAnImageStillThereIsAFailure) {
  FakeRegistry registry;
  auto images = many("s", 2);
  registry.add_repository("app", images);
  registry.confirm_digest_deletions = false;
  registry.ignore_delete_digests = {"sha256:s1"};  // not deleted, and not said either
  auto report = apply_deletions(registry, {delete_all("app", images)}, {});
  EXPECT_EQ(report.deleted, 1u);
  ASSERT_EQ(report.failed, 1u);
  const auto failed =
      std::find_if(report.outcomes.begin(), report.outcomes.end(),
                   [](const ItemOutcome& o) { return o.result == ItemResult::failed; });
  EXPECT_EQ(failed->code, "NotConfirmed");
  EXPECT_EQ(failed->item.image.digest, "sha256:s1");
}

}  // namespace
}  // namespace regsweep
