// The one-off delete use case with apply's safety (issue 12, defect 2): min-age by the clock, in
// use, never emptying a repository, an index's children and a subject's referrers kept whole,
// globs matched locally, and the same consent rule and session as apply.
#include "app/delete_one_off.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "support/policy_fixtures.hpp"
#include "support/use_case_fixture.hpp"

namespace regsweep {
namespace {

using testing::aged;
using testing::k_day;
using ::testing::SizeIs;

class DeleteUseCase : public ::testing::Test {
 protected:
  OneOffRequest untagged(std::vector<std::string> globs) {
    OneOffRequest r;
    r.repository_globs = std::move(globs);
    r.selection.untagged = true;
    r.session = f.session();
    r.consent.yes = true;
    return r;
  }
  OneOffOutcome run(const OneOffRequest& r) {
    return delete_one_off(f.opened(), r, f.clock, f.events);
  }

  testing::UseCaseFixture f;
};

// `delete --untagged` deleted an untagged image pushed 20 seconds earlier (a build in progress).
TEST_F(DeleteUseCase, AnUntaggedImagePushedSecondsAgoIsKeptUntilMinAgeZero) {
  auto& registry = f.add_registry("us-east-1");
  registry.add_repository("app",
                          {aged("sha256:building", {}, 20'000), aged("sha256:old", {}, 30 * k_day),
                           aged("sha256:v1", {"v1"}, 60 * k_day)});
  auto outcome = run(untagged({"app"}));
  EXPECT_EQ(outcome.deletion.report.deleted, 1u);
  ASSERT_THAT(outcome.kept, SizeIs(1));
  EXPECT_EQ(outcome.kept[0].digest, "sha256:building");
  EXPECT_THAT(outcome.kept[0].why, ::testing::HasSubstr("younger than --min-age"));
  auto now = untagged({"app"});
  now.protections.protection.min_age = 0;
  outcome = run(now);
  EXPECT_EQ(outcome.deletion.report.deleted, 1u);
  EXPECT_THAT(registry.images("app"), SizeIs(1));
}

TEST_F(DeleteUseCase, GlobsAreMatchedLocallyNeverSentToTheRegistry) {
  auto& registry = f.add_registry("us-east-1");
  registry.add_repository("web/a",
                          {aged("sha256:a1", {}, 30 * k_day), aged("sha256:a2", {"x"}, 1)});
  registry.add_repository("web/b",
                          {aged("sha256:b1", {}, 30 * k_day), aged("sha256:b2", {"x"}, 1)});
  registry.add_repository("api", {aged("sha256:c1", {}, 30 * k_day), aged("sha256:c2", {"x"}, 1)});
  const auto outcome = run(untagged({"web/*"}));
  EXPECT_EQ(outcome.deletion.report.deleted, 2u);
  EXPECT_THAT(registry.images("api"), SizeIs(2));
  for (const auto& call : registry.calls("list_images")) EXPECT_NE(call.repository, "web/*");
  auto none = untagged({"nothing-*"});
  EXPECT_EQ(run(none).deletion.ending, DeletionEnding::failed);
}

TEST_F(DeleteUseCase, TagsAndDigestsNameOneRepository) {
  auto& registry = f.add_registry("us-east-1");
  registry.add_repository("web/a", {aged("sha256:a", {"v1"}, 30 * k_day)});
  registry.add_repository("web/b", {aged("sha256:b", {"v1"}, 30 * k_day)});
  OneOffRequest r;
  r.repository_globs = {"web/*"};
  r.selection.tags = {"v1"};
  r.session = f.session();
  r.consent.yes = true;
  const auto outcome = run(r);
  EXPECT_EQ(outcome.deletion.ending, DeletionEnding::failed);
  EXPECT_THAT(outcome.deletion.error->message, ::testing::HasSubstr("selects 2: web/a, web/b"));
  EXPECT_THAT(registry.calls("delete_images"), SizeIs(0));
}

TEST_F(DeleteUseCase, InUseAndTheLastImageAreKept) {
  auto& registry = f.add_registry("us-east-1");
  registry.add_repository(
      "app", {aged("sha256:pinned", {}, 30 * k_day), aged("sha256:junk", {}, 30 * k_day),
              aged("sha256:v1", {"v1"}, 30 * k_day)});
  auto r = untagged({"app"});
  static const std::unordered_map<std::string, std::string> in_use = {
      {"sha256:pinned", "k8s deployment prod/api"}};
  r.protections.in_use_for = [](const Repository&) { return &in_use; };
  auto outcome = run(r);
  EXPECT_EQ(outcome.deletion.report.deleted, 1u);
  ASSERT_THAT(outcome.kept, SizeIs(1));
  EXPECT_THAT(outcome.kept[0].why, ::testing::HasSubstr("in use (k8s deployment prod/api)"));
  // The only image left (v1 by digest) empties the repository... unless allowed.
  OneOffRequest last;
  last.repository_globs = {"other"};
  registry.add_repository("other", {aged("sha256:only", {}, 30 * k_day)});
  last.selection.digests = {"sha256:only"};
  last.session = f.session();
  last.consent.yes = true;
  outcome = run(last);
  EXPECT_EQ(outcome.deletion.ending, DeletionEnding::nothing_to_delete);
  EXPECT_THAT(outcome.kept[0].why, ::testing::HasSubstr("empt"));
  last.protections.protection.allow_empty = true;
  EXPECT_EQ(run(last).deletion.report.deleted, 1u);
}

TEST_F(DeleteUseCase, AnIndexTakesItsChildrenAndAChildOfAKeptIndexStays) {
  auto& registry = f.add_registry("us-east-1");
  auto index = aged("sha256:index", {"v2"}, 30 * k_day);
  index.manifest_media_type = "application/vnd.oci.image.index.v1+json";
  index.child_digests = {"sha256:amd64", "sha256:arm64"};
  auto signature = aged("sha256:sig", {}, 30 * k_day);
  signature.subject_digest = "sha256:index";
  registry.add_repository(
      "app", {index, aged("sha256:amd64", {}, 30 * k_day), aged("sha256:arm64", {}, 30 * k_day),
              signature, aged("sha256:v9", {"v9"}, 30 * k_day)});
  OneOffRequest child;
  child.repository_globs = {"app"};
  child.selection.digests = {"sha256:amd64"};
  child.session = f.session();
  child.consent.yes = true;
  auto outcome = run(child);
  EXPECT_EQ(outcome.deletion.ending, DeletionEnding::nothing_to_delete);
  EXPECT_THAT(outcome.kept[0].why, ::testing::HasSubstr("index"));
  OneOffRequest whole = child;
  whole.selection.digests = {"sha256:index"};
  outcome = run(whole);
  EXPECT_EQ(outcome.deletion.report.deleted, 4u);  // the index, its children, its signature
  ASSERT_THAT(registry.images("app"), SizeIs(1));
  EXPECT_EQ(registry.images("app")[0].digest, "sha256:v9");
}

TEST_F(DeleteUseCase, WithoutYesNothingIsTouchedBeforeTheAnswer) {
  auto& registry = f.add_registry("us-east-1");
  registry.add_repository("app", {aged("sha256:old", {}, 30 * k_day), aged("sha256:v", {"v"}, 1)});
  auto r = untagged({"app"});
  r.consent.yes = false;
  bool previewed = false;
  r.on_planned = [&](const OneOffOutcome& planned) {
    previewed = true;
    EXPECT_THAT(planned.work, SizeIs(1));
  };
  r.consent.ask = [&](const ConsentQuestion&) {
    EXPECT_TRUE(previewed);
    return Consent::declined;
  };
  EXPECT_EQ(run(r).deletion.ending, DeletionEnding::declined);
  EXPECT_FALSE(std::filesystem::exists(f.journal_path()));
  EXPECT_THAT(registry.images("app"), SizeIs(2));
}

}  // namespace
}  // namespace regsweep

namespace regsweep {
namespace {

// Deleting an archived image within ECR's 90-day minimum is allowed (BatchDeleteImage) but
// charged: the question carries the charge and a warning says it, once, before anything goes.
TEST(DeleteArchived, AnEarlyDeletionIsWarnedAboutWithItsCharge) {
  testing::UseCaseFixture f;
  auto& registry = f.add_registry("us-east-1");
  auto early = aged("sha256:archived", {"v0"}, 200 * k_day);
  early.status = ImageStatus::archived;
  early.last_archived_at = f.clock.now() - 30 * k_day;
  early.size_bytes = 3ull << 30;
  registry.add_repository("app", {early, aged("sha256:v1", {"v1"}, k_day)});
  OneOffRequest r;
  r.repository_globs = {"app"};
  r.selection.digests = {"sha256:archived"};
  r.session = f.session();
  r.consent.archive_price_per_gb_month = 0.10;
  ConsentQuestion asked;
  r.consent.ask = [&](const ConsentQuestion& question) {
    asked = question;
    return Consent::declined;
  };
  const auto outcome = delete_one_off(f.opened(), r, f.clock, f.events);
  EXPECT_EQ(outcome.deletion.ending, DeletionEnding::declined);
  EXPECT_EQ(asked.early_deletions, 1u);
  EXPECT_NEAR(asked.early_deletion_charge, 3 * 0.10 * 60 / 30.0, 1e-9);
  EXPECT_TRUE(f.events.said("archived less than 90 days ago"));
  EXPECT_TRUE(f.events.said("$0.60"));
  EXPECT_THAT(registry.images("app"), SizeIs(2));
}

}  // namespace
}  // namespace regsweep
