// The restore use case: which archived images are picked (by tag, digest, or all archived with
// age filters), the consent rule, the journal, and names that are not archived reported.
#include "app/restore_images.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/policy_fixtures.hpp"
#include "support/use_case_fixture.hpp"

namespace regsweep {
namespace {

using testing::aged;
using ::testing::ElementsAre;
using testing::k_day;
using ::testing::SizeIs;

ImageRecord archived(const std::string& digest, std::vector<std::string> tags, EpochMillis age) {
  ImageRecord image = aged(digest, std::move(tags), age);
  image.status = ImageStatus::archived;
  image.size_bytes = 2ull << 30;
  return image;
}

std::vector<std::string> digests(const RestorePick& pick) {
  std::vector<std::string> out;
  for (const auto& item : pick.work.items) {
    EXPECT_EQ(item.action, ItemAction::restore);
    out.push_back(item.image.digest);
  }
  return out;
}

TEST(PickRestores, ArchivedWithAgeFiltersTakesOnlyArchivedImagesInTheWindow) {
  const EpochMillis now = 1'790'000'000'000;
  const std::vector<ImageRecord> images = {
      archived("sha256:a10", {}, 10 * k_day), archived("sha256:a100", {"v1"}, 100 * k_day),
      archived("sha256:a400", {}, 400 * k_day), aged("sha256:active", {}, 100 * k_day)};
  RestoreSelection all;
  all.archived = true;
  EXPECT_THAT(digests(pick_restores("app", images, all, now)),
              ElementsAre("sha256:a10", "sha256:a100", "sha256:a400"));
  RestoreSelection window = all;
  window.older_than = 30 * k_day;
  window.newer_than = 365 * k_day;
  EXPECT_THAT(digests(pick_restores("app", images, window, now)), ElementsAre("sha256:a100"));
}

TEST(PickRestores, NamedImagesThatAreNotArchivedOrMissingAreReported) {
  const std::vector<ImageRecord> images = {archived("sha256:a", {"v1"}, k_day),
                                           aged("sha256:b", {"v2"}, k_day)};
  RestoreSelection named;
  named.tags = {"v1", "v2", "v9"};
  named.digests = {"sha256:a"};  // the same image twice: restored once
  const auto pick = pick_restores("app", images, named, 1'790'000'000'000);
  EXPECT_THAT(digests(pick), ElementsAre("sha256:a"));
  EXPECT_THAT(pick.not_found, ElementsAre("v9"));
  EXPECT_THAT(pick.not_archived, ElementsAre("v2 (ACTIVE)"));
}

TEST(PickRestores, BadSelectionsAreRefused) {
  RestoreSelection none;
  EXPECT_FALSE(validate_restore_selection(none).ok());
  RestoreSelection mixed;
  mixed.archived = true;
  mixed.tags = {"v1"};
  EXPECT_FALSE(validate_restore_selection(mixed).ok());
  RestoreSelection age_alone;
  age_alone.tags = {"v1"};
  age_alone.older_than = k_day;
  EXPECT_FALSE(validate_restore_selection(age_alone).ok());
}

TEST(RestoreUseCase, RestoresAfterConsentJournalsAndQuotesTheRetrievalFee) {
  testing::UseCaseFixture f;
  auto& registry = f.add_registry("us-east-1");
  registry.add_repository(
      "app", {archived("sha256:a", {"v1"}, 100 * k_day), archived("sha256:b", {}, 200 * k_day)});
  RestoreRequest r;
  r.repository_globs = {"app"};
  r.selection.archived = true;
  r.session = f.session();
  ConsentQuestion asked;
  r.consent.ask = [&](const ConsentQuestion& question) {
    asked = question;
    return Consent::granted;
  };
  const auto outcome = restore_images(f.opened(), r, f.clock, f.events);
  EXPECT_EQ(asked.restores, 2u);
  EXPECT_EQ(asked.images, 0u);
  EXPECT_NEAR(outcome.retrieval_fee, 4 * 0.03, 1e-9);  // 4 GB at $0.03
  EXPECT_EQ(outcome.deletion.report.restored, 2u);
  for (const auto& image : registry.images("app")) EXPECT_EQ(image.status, ImageStatus::activating);
  const auto records = f.journal();
  ASSERT_THAT(records, SizeIs(4));
  for (const auto& record : records) EXPECT_EQ(record.action, JournalAction::restore);
}

TEST(RestoreUseCase, DeclinedRestoresNothing) {
  testing::UseCaseFixture f;
  auto& registry = f.add_registry("us-east-1");
  registry.add_repository("app", {archived("sha256:a", {"v1"}, 100 * k_day)});
  RestoreRequest r;
  r.repository_globs = {"app"};
  r.selection.tags = {"v1"};
  r.session = f.session();
  r.consent.ask = [](const ConsentQuestion&) { return Consent::declined; };
  const auto outcome = restore_images(f.opened(), r, f.clock, f.events);
  EXPECT_EQ(outcome.deletion.ending, DeletionEnding::declined);
  EXPECT_THAT(registry.calls("update_storage_class"), SizeIs(0));
  EXPECT_EQ(registry.images("app")[0].status, ImageStatus::archived);
}

}  // namespace
}  // namespace regsweep
