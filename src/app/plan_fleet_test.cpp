// plan_fleet (several registries planned into one merged plan) and select_repositories (a
// target's include/exclude globs enforced on every registry call).
#include <gtest/gtest.h>

#include <map>

#include "app/plan_fleet.hpp"
#include "policy/parse.hpp"
#include "registry/selected_registry.hpp"

namespace regsweep {
namespace {

constexpr EpochMillis k_day = 86'400'000;
constexpr EpochMillis k_now = 1'800'000'000'000;

// Repositories of untagged images of given ages (days); records deletions.
class ImagesFakeRegistry : public Registry {
 public:
  std::map<std::string, std::vector<int>> ages;  // repository -> image ages in days
  bool listing_fails = false;
  std::vector<std::string> touched;  // repositories named in any per-repository call

  std::string describe() const override { return "fake"; }
  Result<RegistryIdentity> identity() override { return RegistryIdentity{}; }
  Result<std::vector<RepositoryInfo>> list_repositories() override {
    if (listing_fails) return make_error(ErrorCode::forbidden, "AccessDeniedException");
    std::vector<RepositoryInfo> out;
    for (const auto& [name, _] : ages) out.push_back({name, "111111111111", ""});
    return out;
  }
  Result<std::vector<ImageRecord>> list_images(const std::string& repository) override {
    touched.push_back(repository);
    std::vector<ImageRecord> images;
    int n = 0;
    for (int age : ages.at(repository)) {
      ImageRecord image;
      image.digest = "sha256:" + repository + std::to_string(n++);
      image.pushed_at = k_now - age * k_day;
      image.size_bytes = 100;
      images.push_back(image);
    }
    return images;
  }
  Result<std::vector<ImageRecord>> describe_images(const std::string& repository,
                                                   const std::vector<std::string>&) override {
    touched.push_back(repository);
    return std::vector<ImageRecord>{};
  }
  Result<DeleteOutcome> delete_images(const std::string& repository,
                                      const std::vector<ImageId>&) override {
    touched.push_back(repository);
    return DeleteOutcome{};
  }
  Result<std::optional<std::string>> get_lifecycle_policy(const std::string& repository) override {
    touched.push_back(repository);
    return std::optional<std::string>();
  }
  Status put_lifecycle_policy(const std::string& repository, const std::string&) override {
    touched.push_back(repository);
    return ok_status();
  }
  Status delete_lifecycle_policy(const std::string& repository) override {
    touched.push_back(repository);
    return ok_status();
  }
};

Policy untagged_after_14_days() {
  return std::move(parse_policy(
                       R"({"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged",
                       "countType":"sinceImagePushed","countUnit":"days","countNumber":14},
                       "action":{"type":"expire"}}]})",
                       "p.json"))
      .value();
}

PlanOptions options() {
  PlanOptions o;
  o.now = k_now;
  o.protect = false;
  return o;
}

TEST(PlanFleet, MergesEveryRegistryWithRangesRegionsAndTotals) {
  ImagesFakeRegistry eu, us;
  eu.ages = {{"app", {1, 20, 30}}, {"web", {40}}};
  us.ages = {{"app", {2, 50}}};
  const FleetPlan fleet =
      plan_fleet({{"111/eu-west-1", &eu, "eu-west-1"}, {"111/us-east-1", &us, "us-east-1"}},
                 untagged_after_14_days(), options());
  ASSERT_EQ(fleet.registries.size(), 2u);
  ASSERT_EQ(fleet.merged.repositories.size(), 3u);
  EXPECT_EQ(fleet.registries[0].first, 0u);
  EXPECT_EQ(fleet.registries[0].count, 2u);
  EXPECT_EQ(fleet.registries[1].first, 2u);
  EXPECT_EQ(fleet.registries[1].count, 1u);
  EXPECT_EQ(fleet.merged.repositories[2].repository->region, "us-east-1");
  EXPECT_EQ(fleet.merged.repositories[0].repository->region, "eu-west-1");
  EXPECT_EQ(fleet.merged.totals.repositories, 3u);
  EXPECT_EQ(fleet.merged.totals.images, 6u);
  EXPECT_EQ(fleet.merged.totals.expiring, 4u);  // 20, 30, 40, 50 days
  EXPECT_EQ(fleet.registries[0].run.plan.totals.expiring, 3u);
  EXPECT_TRUE(fleet.merged.skipped.empty());
}

TEST(PlanFleet, ARegistryThatCannotBeListedIsSkippedWholeAndTheOthersPlanned) {
  ImagesFakeRegistry ok, broken;
  ok.ages = {{"app", {30}}};
  broken.listing_fails = true;
  const FleetPlan fleet = plan_fleet({{"111/eu-west-1", &ok, ""}, {"222/eu-west-1", &broken, ""}},
                                     untagged_after_14_days(), options());
  // A registry is not a repository (issue 11: a wrong secret was reported as a skipped
  // "repository" named after the region): it is listed apart.
  EXPECT_TRUE(fleet.merged.skipped.empty());
  ASSERT_EQ(fleet.unlisted.size(), 1u);
  EXPECT_EQ(fleet.unlisted[0].name, "222/eu-west-1");
  EXPECT_NE(fleet.unlisted[0].reason.find("AccessDeniedException"), std::string::npos);
  EXPECT_EQ(fleet.merged.totals.expiring, 1u);
  EXPECT_EQ(fleet.registries[1].count, 0u);
}

TEST(SelectedRegistry, ListsOnlySelectedRepositoriesAndRefusesTheOthers) {
  ImagesFakeRegistry inner;
  inner.ages = {{"svc-1", {30}}, {"svc-2", {30}}, {"legacy-1", {30}}};
  auto selected = select_repositories(inner, RepositorySelection{{"*"}, {"legacy-*", "svc-2"}});
  auto listed = selected->list_repositories();
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].name, "svc-1");
  EXPECT_FALSE(selected->delete_images("legacy-1", {{"sha256:x", ""}}).ok());
  EXPECT_FALSE(selected->put_lifecycle_policy("svc-2", "{}").ok());
  EXPECT_FALSE(selected->list_images("legacy-1").ok());
  EXPECT_TRUE(selected->list_images("svc-1").ok());
  EXPECT_EQ(inner.touched, std::vector<std::string>{"svc-1"});

  // Planned through the selection, excluded repositories are never listed.
  const FleetPlan fleet =
      plan_fleet({{"r", selected.get(), ""}}, untagged_after_14_days(), options());
  EXPECT_EQ(fleet.merged.totals.repositories, 1u);
}

}  // namespace
}  // namespace regsweep
