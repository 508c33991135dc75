// reconcile_interrupted: open intents of a killed run are settled from the registry's answer.
#include "app/settle_interrupted.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "journal/repository_lock.hpp"
#include "support/fake_journal.hpp"
#include "support/fake_registry.hpp"

namespace regsweep {
namespace {

using testing::FakeRegistry;
using ::testing::SizeIs;

ImageRecord image(const std::string& digest, std::vector<std::string> tags = {}) {
  ImageRecord r;
  r.digest = digest;
  r.tags = std::move(tags);
  r.pushed_at = 1'700'000'000'000;
  return r;
}

JournalRecord record(JournalKind kind, const std::string& repo, const std::string& digest,
                     std::vector<std::string> tags = {}, const std::string& run = "run-old") {
  JournalRecord r;
  r.kind = kind;
  r.run_id = run;
  r.timestamp = 1;
  r.registry = "reg";
  r.repository = repo;
  r.digest = digest;
  r.tags = std::move(tags);
  if (kind == JournalKind::result) r.outcome = JournalOutcome::deleted;
  return r;
}

ReconcileOptions options() {
  ReconcileOptions o;
  o.run_id = "run-new";
  o.registry = "reg";
  return o;
}

TEST(Reconcile, AbsentIsGonePresentIsNotDeletedClosedIntentsAreLeftAlone) {
  FakeRegistry registry;
  registry.add_repository("app", {image("sha256:present", {"v1"}), image("sha256:untagged")});
  const std::vector<JournalRecord> records = {
      record(JournalKind::intent, "app", "sha256:done"),
      record(JournalKind::result, "app", "sha256:done"),
      record(JournalKind::intent, "app", "sha256:absent"),
      record(JournalKind::intent, "app", "sha256:present", {"v1"}),
      record(JournalKind::intent, "app", "sha256:untagged"),
  };
  testing::FakeJournal journal;
  const auto report = reconcile_interrupted(registry, records, journal, options());
  EXPECT_EQ(report.gone, 1u);
  EXPECT_EQ(report.not_deleted, 2u);
  EXPECT_TRUE(report.problems.empty());
  const auto results = journal.records(JournalKind::result);
  ASSERT_THAT(results, SizeIs(3));
  std::map<std::string, JournalRecord> by_digest;
  for (const auto& r : results) by_digest[r.digest] = r;
  EXPECT_EQ(by_digest["sha256:absent"].outcome, JournalOutcome::gone);
  EXPECT_EQ(by_digest["sha256:absent"].run_id, "run-old");  // closes the old run's intent
  EXPECT_NE(by_digest["sha256:absent"].reason.find("gone (confirmed after interruption)"),
            std::string::npos);
  EXPECT_NE(by_digest["sha256:absent"].reason.find("run-new"), std::string::npos);
  EXPECT_EQ(by_digest["sha256:present"].outcome, JournalOutcome::failed);
  EXPECT_EQ(by_digest["sha256:present"].error_code, "Interrupted");
  EXPECT_EQ(by_digest["sha256:untagged"].outcome, JournalOutcome::failed);
  // Nothing was deleted while reconciling.
  EXPECT_THAT(registry.calls("delete_images"), SizeIs(0));
  EXPECT_THAT(registry.images("app"), SizeIs(2));
  // With the new results the journal has no open intent left.
  auto all = records;
  for (const auto& r : journal.records()) all.push_back(r);
  EXPECT_TRUE(open_intents(all).empty());
}

TEST(Reconcile, ATagRemovalThatWentThroughIsGone) {
  FakeRegistry registry;
  registry.add_repository("app", {image("sha256:i", {"keep"})});
  testing::FakeJournal journal;
  const auto report = reconcile_interrupted(
      registry, {record(JournalKind::intent, "app", "sha256:i", {"old"})}, journal, options());
  EXPECT_EQ(report.gone, 1u);
  EXPECT_EQ(journal.records().at(0).outcome, JournalOutcome::gone);
}

TEST(Reconcile, OnlyTheRegistryAndRepositoriesAskedAbout) {
  FakeRegistry registry;
  registry.add_repository("app", {});
  registry.add_repository("other", {});
  auto foreign = record(JournalKind::intent, "app", "sha256:f");
  foreign.registry = "another-account";
  const std::vector<JournalRecord> records = {foreign,
                                              record(JournalKind::intent, "other", "sha256:o"),
                                              record(JournalKind::intent, "app", "sha256:a")};
  testing::FakeJournal journal;
  auto o = options();
  o.repositories = {"app"};
  const auto report = reconcile_interrupted(registry, records, journal, o);
  EXPECT_EQ(report.gone, 1u);
  ASSERT_THAT(journal.records(), SizeIs(1));
  EXPECT_EQ(journal.records()[0].digest, "sha256:a");
}

TEST(Reconcile, LockedOrUndescribableRepositoriesStayOpenAndAreReported) {
  FakeRegistry registry;
  registry.add_repository("busy", {});
  registry.add_repository("broken", {});
  registry.fail_describe = {"broken"};
  std::string dir = (std::filesystem::temp_directory_path() / "regsweep-resume-XXXXXX").string();
  ASSERT_NE(::mkdtemp(dir.data()), nullptr);
  auto held = RepositoryLock::acquire(dir, "reg", "", "busy");
  ASSERT_TRUE(held.ok());
  testing::FakeJournal journal;
  auto o = options();
  o.lock_directory = dir;
  const auto report = reconcile_interrupted(registry,
                                            {record(JournalKind::intent, "busy", "sha256:b"),
                                             record(JournalKind::intent, "broken", "sha256:x")},
                                            journal, o);
  EXPECT_EQ(report.left_open, 2u);
  EXPECT_THAT(report.problems, SizeIs(2));
  EXPECT_THAT(journal.records(), SizeIs(0));
  EXPECT_THAT(registry.calls("describe_images"), SizeIs(1));  // only broken was asked
}

}  // namespace
}  // namespace regsweep
