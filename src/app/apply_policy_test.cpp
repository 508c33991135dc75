// The apply use cases against fake registries, a real journal in a temporary state directory and a
// manual clock: consent declined or impossible, the journal unavailable, a locked repository, a
// killed run's intents settled (also with nothing left to delete), a partial listing skipped, two
// accounts with the same repository names kept apart, and a saved plan refused in another account.
#include "app/apply_policy.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "journal/repository_lock.hpp"
#include "support/policy_fixtures.hpp"
#include "support/use_case_fixture.hpp"

namespace regsweep {
namespace {

using testing::aged;
using testing::k_day;
using testing::k_hour;
using ::testing::SizeIs;

const char* k_untagged_after_14_days = R"({"rules":[{"rulePriority":1,"selection":{
  "tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},
  "action":{"type":"expire"}}]})";

class ApplyUseCase : public ::testing::Test {
 protected:
  ApplyUseCase() : policy(testing::policy_from(k_untagged_after_14_days)) {}

  // "app": two old untagged images (expire), one fresh untagged, one tagged.
  testing::FakeRegistry& registry_with_app(const std::string& label = "us-east-1",
                                           const std::string& account = "111111111111") {
    auto& registry = f.add_registry(label, account);
    registry.add_repository(
        "app", {aged("sha256:old1", {}, 30 * k_day), aged("sha256:old2", {}, 40 * k_day),
                aged("sha256:fresh", {}, k_hour / 2), aged("sha256:v1", {"v1"}, 90 * k_day)});
    return registry;
  }

  ApplyRequest request(bool yes) {
    ApplyRequest r;
    r.plan.plan.now = f.clock.now();
    r.session = f.session();
    r.consent.yes = yes;
    return r;
  }

  ApplyOutcome apply(const ApplyRequest& r) {
    return apply_policy(f.opened(), policy, r, f.clock, f.events);
  }

  testing::UseCaseFixture f;
  Policy policy;
};

TEST_F(ApplyUseCase, DeletesWhatThePlanExpiresAndJournalsTheAccountAndRegion) {
  auto& registry = registry_with_app();
  const auto outcome = apply(request(true));
  EXPECT_EQ(outcome.deletion.ending, DeletionEnding::deleted);
  EXPECT_EQ(outcome.deletion.report.deleted, 2u);
  EXPECT_THAT(registry.images("app"), SizeIs(2));  // the fresh one (min-age) and v1 stay
  const auto records = f.journal();
  ASSERT_THAT(records, SizeIs(4));  // two intents, two results
  for (const auto& r : records) {
    EXPECT_EQ(r.registry, "111111111111");
    EXPECT_EQ(r.region, "us-east-1");
    EXPECT_EQ(r.timestamp, f.clock.now());
  }
}

TEST_F(ApplyUseCase, DeclinedConsentDeletesNothingAndTouchesNoJournal) {
  auto& registry = registry_with_app();
  auto r = request(false);
  int asked = 0;
  r.consent.ask = [&](const ConsentQuestion& question) {
    ++asked;
    EXPECT_EQ(question.images, 2u);
    EXPECT_EQ(question.repositories, 1u);
    return Consent::declined;
  };
  const auto outcome = apply(r);
  EXPECT_EQ(asked, 1);
  EXPECT_EQ(outcome.deletion.ending, DeletionEnding::declined);
  EXPECT_THAT(registry.calls("delete_images"), SizeIs(0));
  EXPECT_FALSE(std::filesystem::exists(f.journal_path()));
}

TEST_F(ApplyUseCase, NobodyToAskIsARefusalAndNoAskIsAPlanOnly) {
  auto& registry = registry_with_app();
  auto r = request(false);
  r.consent.ask = [](const ConsentQuestion&) { return Consent::cannot_ask; };
  EXPECT_EQ(apply(r).deletion.ending, DeletionEnding::cannot_ask);
  r.consent.ask = nullptr;
  EXPECT_EQ(apply(r).deletion.ending, DeletionEnding::plan_only);
  EXPECT_THAT(registry.calls("delete_images"), SizeIs(0));
}

TEST_F(ApplyUseCase, AJournalThatCannotBeOpenedStopsEverything) {
  auto& registry = registry_with_app();
  auto r = request(true);
  r.session.journal = f.lock_directory();  // a directory: never a journal
  std::filesystem::create_directories(r.session.journal);
  const auto outcome = apply(r);
  EXPECT_EQ(outcome.deletion.ending, DeletionEnding::failed);
  ASSERT_TRUE(outcome.deletion.error.has_value());
  EXPECT_THAT(registry.calls("delete_images"), SizeIs(0));
  EXPECT_THAT(registry.calls("list_images"), SizeIs(0)) << "with --yes the session opens first";
}

TEST_F(ApplyUseCase, ALockedRepositoryIsLeftAlone) {
  auto& registry = registry_with_app();
  auto held = RepositoryLock::acquire(f.lock_directory(), "111111111111", "us-east-1", "app");
  ASSERT_TRUE(held.ok()) << held.error().message;
  const auto outcome = apply(request(true));
  EXPECT_EQ(outcome.deletion.report.deleted, 0u);
  EXPECT_EQ(outcome.deletion.report.failed, 2u);
  EXPECT_EQ(outcome.deletion.report.outcomes[0].code, "RepositoryLocked");
  EXPECT_THAT(registry.calls("delete_images"), SizeIs(0));
}

// Issue 12, defect 3: a killed run's open intents stayed open when the next run had nothing left
// to delete in their repository.
TEST_F(ApplyUseCase, AKilledRunIsSettledEvenWithNothingLeftToDelete) {
  auto& registry = f.add_registry("us-east-1");
  registry.add_repository("app", {aged("sha256:v1", {"v1"}, 90 * k_day)});
  {
    auto journal = FileJournal::open(f.journal_path());
    ASSERT_TRUE(journal.ok()) << journal.error().message;
    JournalRecord intent;
    intent.run_id = "killed-run";
    intent.registry = "111111111111";
    intent.region = "us-east-1";
    intent.repository = "app";
    intent.digest = "sha256:gone-since";
    ASSERT_TRUE((*journal)->append(intent).ok());
  }
  const auto outcome = apply(request(true));
  EXPECT_EQ(outcome.deletion.ending, DeletionEnding::nothing_to_delete);
  const auto records = f.journal();
  ASSERT_THAT(records, SizeIs(2));
  EXPECT_EQ(records[1].kind, JournalKind::result);
  EXPECT_EQ(records[1].run_id, "killed-run");
  EXPECT_EQ(records[1].outcome, JournalOutcome::gone);
  EXPECT_TRUE(open_intents(records).empty());
  EXPECT_TRUE(f.events.said("settled 1 deletion"));
}

// Issue 12, defect 4: two accounts with the same repository names in one region (replication)
// locked and settled each other's repositories.
TEST_F(ApplyUseCase, AnotherAccountsLeftoversAreNotSettledHere) {
  auto& registry = f.add_registry("222222222222/us-east-1", "222222222222");
  registry.add_repository("app", {aged("sha256:same", {}, 30 * k_day)});
  {
    auto journal = FileJournal::open(f.journal_path());
    ASSERT_TRUE(journal.ok());
    JournalRecord intent;
    intent.run_id = "killed-in-111";
    intent.registry = "111111111111";
    intent.region = "us-east-1";
    intent.repository = "app";
    intent.digest = "sha256:same";
    ASSERT_TRUE((*journal)->append(intent).ok());
  }
  // Account 111's lock on "app" does not stop account 222.
  auto held = RepositoryLock::acquire(f.lock_directory(), "111111111111", "us-east-1", "app");
  ASSERT_TRUE(held.ok());
  auto r = request(true);
  r.plan.plan.protection.allow_empty = true;
  const auto outcome = apply(r);
  EXPECT_EQ(outcome.deletion.report.deleted, 1u);
  const auto records = f.journal();
  EXPECT_THAT(open_intents(records), SizeIs(1)) << "account 111's intent stays open";
  EXPECT_FALSE(f.events.said("settled"));
}

TEST_F(ApplyUseCase, ARepositoryWhoseListingFailsIsSkippedAndTheOthersCleaned) {
  auto& registry = registry_with_app();
  registry.add_repository("broken", {aged("sha256:b", {}, 30 * k_day)});
  registry.fail_listing = {"broken"};
  const auto outcome = apply(request(true));
  EXPECT_EQ(outcome.skipped_repositories, 1u);
  EXPECT_FALSE(outcome.planned.complete());
  EXPECT_EQ(outcome.deletion.report.deleted, 2u);
  EXPECT_THAT(registry.images("broken"), SizeIs(1));
}

TEST_F(ApplyUseCase, ASavedPlanIsRefusedInAnotherAccount) {
  auto& registry = registry_with_app("222222222222/us-east-1", "222222222222");
  SavedPlan saved;
  saved.source = "ECR";
  SavedRepository repo{"app", "111111111111", "us-east-1", {}, {}};
  SavedImage old;
  old.digest = "sha256:old1";
  repo.expiring.push_back(old);
  saved.repositories.push_back(repo);
  auto r = request(true);
  const auto outcome = apply_saved_plan(f.opened(), saved, "plan.json", r, f.clock, f.events);
  EXPECT_EQ(outcome.deletion.ending, DeletionEnding::failed);
  ASSERT_TRUE(outcome.deletion.error.has_value());
  EXPECT_EQ(outcome.deletion.error->code, ErrorCode::invalid_input);
  EXPECT_THAT(outcome.deletion.error->message,
              ::testing::HasSubstr("belongs to none of the registries opened"));
  EXPECT_THAT(registry.calls("delete_images"), SizeIs(0));
  // The plan's own account: deleted, and nothing the plan did not name.
  saved.repositories[0].registry_id = "222222222222";
  const auto applied = apply_saved_plan(f.opened(), saved, "plan.json", r, f.clock, f.events);
  EXPECT_EQ(applied.deletion.report.deleted, 1u);
  EXPECT_THAT(registry.images("app"), SizeIs(3));
}

TEST_F(ApplyUseCase, AnUnknowableAccountStopsASavedPlan) {
  auto& registry = registry_with_app();
  registry.identity_error = make_error(ErrorCode::unauthorized, "sts: denied");
  SavedPlan saved;
  const auto outcome =
      apply_saved_plan(f.opened(), saved, "plan.json", request(true), f.clock, f.events);
  EXPECT_EQ(outcome.deletion.ending, DeletionEnding::failed);
  EXPECT_THAT(outcome.deletion.error->message, ::testing::HasSubstr("cannot tell which account"));
}

}  // namespace
}  // namespace regsweep

namespace regsweep {
namespace {

// A transition rule is carried out: the planned images archived (UpdateImageStorageClass), none
// deleted, both kinds in one consent question, journaled as archives.
TEST(ApplyTransitions, ArchivesWhatThePlanTransitionsAndDeletesWhatItExpires) {
  testing::UseCaseFixture f;
  auto& registry = f.add_registry("us-east-1");
  registry.add_repository("app", {aged("sha256:old-tagged", {"v1"}, 400 * testing::k_day),
                                  aged("sha256:old-untagged", {}, 30 * testing::k_day),
                                  aged("sha256:new-tagged", {"v2"}, 2 * testing::k_day)});
  const Policy policy = testing::policy_from(R"({"rules":[
    {"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed",
     "countUnit":"days","countNumber":14},"action":{"type":"expire"}},
    {"rulePriority":2,"selection":{"tagStatus":"any","countType":"sinceImagePushed",
     "countUnit":"days","countNumber":365},"action":{"type":"transition",
     "targetStorageClass":"archive"}}]})");
  ApplyRequest r;
  r.plan.plan.now = f.clock.now();
  r.session = f.session();
  ConsentQuestion asked;
  r.consent.ask = [&](const ConsentQuestion& question) {
    asked = question;
    return Consent::granted;
  };
  const auto outcome = apply_policy(f.opened(), policy, r, f.clock, f.events);
  ASSERT_EQ(outcome.deletion.ending, DeletionEnding::deleted);
  EXPECT_EQ(asked.images, 1u);
  EXPECT_EQ(asked.archives, 1u);
  EXPECT_EQ(outcome.deletion.report.deleted, 1u);
  EXPECT_EQ(outcome.deletion.report.archived, 1u);
  std::map<std::string, ImageStatus> now;
  for (const auto& image : registry.images("app")) now[image.digest] = image.status;
  EXPECT_EQ(now, (std::map<std::string, ImageStatus>{{"sha256:old-tagged", ImageStatus::archived},
                                                     {"sha256:new-tagged", ImageStatus::active}}));
  std::size_t archives = 0;
  for (const auto& record : f.journal())
    if (record.action == JournalAction::archive && record.digest == "sha256:old-tagged") ++archives;
  EXPECT_EQ(archives, 2u);  // intent and result
}

// apply --plan: the plan's transitions are archived too, and one archived since is left alone.
TEST(ApplyTransitions, ASavedPlansTransitionsAreArchivedUnlessArchivedSince) {
  testing::UseCaseFixture f;
  auto& registry = f.add_registry("us-east-1");
  auto since = aged("sha256:since", {"v0"}, 500 * testing::k_day);
  since.status = ImageStatus::archived;
  registry.add_repository("app", {aged("sha256:old", {"v1"}, 400 * testing::k_day), since});
  SavedPlan saved;
  saved.source = "ECR";
  SavedRepository repo{"app", "111111111111", "us-east-1", {}, {}};
  for (const std::string digest : {"sha256:old", "sha256:since"}) {
    SavedImage image;
    image.digest = digest;
    image.tags = {digest == "sha256:old" ? "v1" : "v0"};
    repo.transitioning.push_back(image);
  }
  saved.repositories.push_back(repo);
  ApplyRequest r;
  r.session = f.session();
  r.consent.yes = true;
  const auto outcome = apply_saved_plan(f.opened(), saved, "plan.json", r, f.clock, f.events);
  EXPECT_EQ(outcome.deletion.report.archived, 1u);
  ASSERT_THAT(outcome.not_as_planned, SizeIs(1));
  EXPECT_EQ(outcome.not_as_planned[0].digest, "sha256:since");
  EXPECT_EQ(outcome.not_as_planned[0].problem, "archived since the plan");
  for (const auto& image : registry.images("app")) EXPECT_EQ(image.status, ImageStatus::archived);
}

}  // namespace
}  // namespace regsweep
