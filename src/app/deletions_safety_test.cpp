// apply_deletions' safety additions: repository locks (two holders), manifests fetched for the
// journal (or journaled absent with a note), "gone" results journaled as gone.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <thread>

#include "app/deletions.hpp"
#include "journal/repository_lock.hpp"
#include "support/fake_journal.hpp"
#include "support/fake_registry.hpp"

namespace regsweep {
namespace {

using testing::FakeRegistry;
using ::testing::SizeIs;

std::string temp_dir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "regsweep-apply-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) std::abort();
  return tmpl;
}

ImageRecord image(const std::string& digest, std::vector<std::string> tags = {}) {
  ImageRecord r;
  r.digest = digest;
  r.tags = std::move(tags);
  r.size_bytes = 10;
  r.pushed_at = 1'700'000'000'000;
  return r;
}

RepositoryDeletions delete_all(const std::string& repo, const std::vector<ImageRecord>& images) {
  RepositoryDeletions work{repo, {}};
  for (const auto& i : images) work.items.push_back({{i.digest, ""}, i, true, "test"});
  return work;
}

// A FakeRegistry that can also read manifests (the fake itself keeps Registry's default, which
// fails), with the digests whose manifest is missing.
class ManifestRegistry final : public Registry {
 public:
  explicit ManifestRegistry(FakeRegistry& inner) : m_inner(inner) {}
  std::set<std::string> missing;
  bool fail = false;
  int calls = 0;
  std::string describe() const override { return "manifest fake"; }
  Result<RegistryIdentity> identity() override { return RegistryIdentity{}; }
  Result<std::vector<RepositoryInfo>> list_repositories() override {
    return m_inner.list_repositories();
  }
  Result<std::vector<ImageRecord>> list_images(const std::string& r) override {
    return m_inner.list_images(r);
  }
  Result<std::vector<ImageRecord>> describe_images(const std::string& r,
                                                   const std::vector<std::string>& d) override {
    return m_inner.describe_images(r, d);
  }
  Result<DeleteOutcome> delete_images(const std::string& r,
                                      const std::vector<ImageId>& ids) override {
    return m_inner.delete_images(r, ids);
  }
  Result<std::map<std::string, std::string>> get_manifests(
      const std::string&, const std::vector<std::string>& digests) override {
    ++calls;
    if (fail) return make_error(ErrorCode::transient, "BatchGetImage: throttled after retries");
    std::map<std::string, std::string> out;
    for (const auto& d : digests)
      if (!missing.count(d)) out[d] = "{\"manifest of\":\"" + d + "\"}";
    return out;
  }
  Result<std::optional<std::string>> get_lifecycle_policy(const std::string& r) override {
    return m_inner.get_lifecycle_policy(r);
  }
  Status put_lifecycle_policy(const std::string& r, const std::string& t) override {
    return m_inner.put_lifecycle_policy(r, t);
  }
  Status delete_lifecycle_policy(const std::string& r) override {
    return m_inner.delete_lifecycle_policy(r);
  }

 private:
  FakeRegistry& m_inner;
};

ApplyOptions journaled(testing::FakeJournal& journal) {
  ApplyOptions options;
  options.journal = &journal;
  options.run_id = "run-1";

  return options;
}

TEST(ApplyLocks, ARepositoryLockedByAnotherRunIsSkippedNotWaitedOn) {
  FakeRegistry registry;
  const std::vector<ImageRecord> a = {image("sha256:a1"), image("sha256:a2")};
  const std::vector<ImageRecord> b = {image("sha256:b1")};
  registry.add_repository("a", a);
  registry.add_repository("b", b);
  const std::string dir = temp_dir() + "/locks";
  // The other run: holds repository a.
  auto acquired = RepositoryLock::acquire(dir, "reg", "eu-west-1", "a");
  ASSERT_TRUE(acquired.ok()) << acquired.error().message;
  std::optional<RepositoryLock> other(std::move(acquired).value());
  testing::FakeJournal journal;
  ApplyOptions options = journaled(journal);
  options.registry = "reg";
  options.region = "eu-west-1";
  options.lock_directory = dir;
  const auto report = apply_deletions(registry, {delete_all("a", a), delete_all("b", b)}, options);
  EXPECT_EQ(report.deleted, 1u);
  EXPECT_EQ(report.failed, 2u);
  for (const auto& o : report.outcomes) {
    if (o.repository != "a") continue;
    EXPECT_EQ(o.code, "RepositoryLocked");
    EXPECT_NE(o.detail.find("another regsweep run"), std::string::npos) << o.detail;
  }
  EXPECT_THAT(registry.images("a"), SizeIs(2));  // untouched: not described, not deleted
  EXPECT_THAT(registry.images("b"), SizeIs(0));
  for (const auto& call : registry.calls()) EXPECT_NE(call.repository, "a") << call.operation;
  EXPECT_THAT(journal.records(), SizeIs(2));  // b's intent and result only

  // Once the other run lets go, the same work goes through, and our lock is released after it.
  other.reset();
  const auto again = apply_deletions(registry, {delete_all("a", a)}, options);
  EXPECT_EQ(again.deleted, 2u);
  EXPECT_TRUE(RepositoryLock::acquire(dir, "reg", "eu-west-1", "a").ok());
}

TEST(ApplyLocks, TwoConcurrentRunsNeverBothWorkOnOneRepository) {
  FakeRegistry registry;
  std::vector<ImageRecord> images;
  for (int i = 0; i < 20; ++i) images.push_back(image("sha256:x" + std::to_string(i)));
  registry.add_repository("x", images);
  registry.call_delay = std::chrono::milliseconds(30);
  const std::string dir = temp_dir();
  ApplyOptions options;
  options.lock_directory = dir;
  options.batch_size = 5;
  ApplyReport first, second;
  std::thread t1([&] { first = apply_deletions(registry, {delete_all("x", images)}, options); });
  std::thread t2([&] { second = apply_deletions(registry, {delete_all("x", images)}, options); });
  t1.join();
  t2.join();
  // Exactly one of them held the lock and deleted all 20; the other deleted nothing.
  EXPECT_EQ(first.deleted + second.deleted, 20u);
  EXPECT_TRUE(first.deleted == 0 || second.deleted == 0);
  const ApplyReport& loser = first.deleted == 0 ? first : second;
  EXPECT_EQ(loser.failed, 20u);
  EXPECT_EQ(loser.outcomes.front().code, "RepositoryLocked");
  EXPECT_EQ(registry.max_concurrent_calls(), 1);
}

TEST(ApplyLocks, AnUnusableLockDirectoryFailsClosed) {
  FakeRegistry registry;
  const std::vector<ImageRecord> a = {image("sha256:a1")};
  registry.add_repository("a", a);
  ApplyOptions options;
  options.lock_directory = "/proc/regsweep-cannot-create/locks";
  const auto report = apply_deletions(registry, {delete_all("a", a)}, options);
  EXPECT_EQ(report.failed, 1u);
  EXPECT_EQ(report.outcomes.front().code, "LockUnavailable");
  EXPECT_THAT(registry.images("a"), SizeIs(1));
}

TEST(ApplyManifests, FetchedBeforeTheBatchAndJournaledWithTheIntent) {
  FakeRegistry inner;
  ImageRecord listed = image("sha256:idx");
  listed.manifest = "{\"read while listing\":1}";  // an index: the listing read it already
  const std::vector<ImageRecord> images = {image("sha256:m1"), image("sha256:m2"), listed};
  inner.add_repository("app", images);
  ManifestRegistry registry(inner);
  registry.missing = {"sha256:m2"};
  testing::FakeJournal journal;
  const auto report = apply_deletions(registry, {delete_all("app", images)}, journaled(journal));
  EXPECT_EQ(report.deleted, 3u);
  EXPECT_EQ(registry.calls, 1);
  std::map<std::string, JournalRecord> intents;
  for (const auto& r : journal.records(JournalKind::intent)) intents[r.digest] = r;
  ASSERT_THAT(intents, SizeIs(3));
  EXPECT_EQ(intents["sha256:m1"].manifest,
            std::optional<std::string>("{\"manifest of\":\"sha256:m1\"}"));
  EXPECT_FALSE(intents["sha256:m2"].manifest.has_value());
  EXPECT_EQ(intents["sha256:m2"].manifest_note, "the registry returned no manifest");
  EXPECT_EQ(intents["sha256:idx"].manifest, listed.manifest);
}

TEST(ApplyManifests, AManifestThatCannotBeReadIsJournaledAbsentAndTheDeletionGoesOn) {
  FakeRegistry inner;
  const std::vector<ImageRecord> images = {image("sha256:m1")};
  inner.add_repository("app", images);
  ManifestRegistry registry(inner);
  registry.fail = true;
  testing::FakeJournal journal;
  const auto report = apply_deletions(registry, {delete_all("app", images)}, journaled(journal));
  EXPECT_EQ(report.deleted, 1u);
  const auto intents = journal.records(JournalKind::intent);
  ASSERT_THAT(intents, SizeIs(1));
  EXPECT_FALSE(intents[0].manifest.has_value());
  EXPECT_NE(intents[0].manifest_note.find("throttled"), std::string::npos)
      << intents[0].manifest_note;
}

TEST(ApplyManifests, TheFakeRegistryCannotReadManifestsSoTheNoteSaysSo) {
  FakeRegistry registry;
  const std::vector<ImageRecord> images = {image("sha256:m1")};
  registry.add_repository("app", images);
  testing::FakeJournal journal;
  apply_deletions(registry, {delete_all("app", images)}, journaled(journal));
  const auto intents = journal.records(JournalKind::intent);
  ASSERT_THAT(intents, SizeIs(1));
  EXPECT_NE(intents[0].manifest_note.find("cannot read manifests"), std::string::npos);
}

TEST(ApplyJournal, AnImageAlreadyGoneIsJournaledAsGone) {
  FakeRegistry registry;
  const std::vector<ImageRecord> images = {image("sha256:g1")};
  registry.add_repository("app", {});
  testing::FakeJournal journal;
  ApplyOptions options = journaled(journal);
  options.recheck = false;  // so it is sent and ECR answers ImageNotFound
  const auto report = apply_deletions(registry, {delete_all("app", images)}, options);
  EXPECT_EQ(report.gone, 1u);
  const auto results = journal.records(JournalKind::result);
  ASSERT_THAT(results, SizeIs(1));
  EXPECT_EQ(results[0].outcome, JournalOutcome::gone);
}

}  // namespace
}  // namespace regsweep
