#include "app/policy_fleet.hpp"

#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <set>

#include "policy/parse.hpp"

namespace regsweep {
namespace {

const std::string k_wanted =
    R"({"rules":[{"rulePriority":1,"description":"untagged","selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}]})";
const std::string k_same_reformatted =
    R"({ "rules" : [ { "action" : {"type":"expire"}, "rulePriority":1, "description":"untagged","selection":{"countNumber":14,"countUnit":"days","countType":"sinceImagePushed","tagStatus":"untagged"} } ] })";
const std::string k_other =
    R"({"rules":[{"rulePriority":1,"description":"untagged","selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":30},"action":{"type":"expire"}}]})";

// Repositories with optional policies; records puts and deletes. Thread-safe like a real backend.
class PolicyFakeRegistry : public Registry {
 public:
  std::map<std::string, std::optional<std::string>> policies;
  std::set<std::string> unreadable;  // get_lifecycle_policy fails
  std::vector<std::string> puts, deletes;
  std::function<void()> on_put;  // e.g. create a repository mid-run

  std::string describe() const override { return "fake"; }
  Result<RegistryIdentity> identity() override { return RegistryIdentity{}; }
  Result<std::vector<RepositoryInfo>> list_repositories() override {
    std::lock_guard lock(m_mutex);
    std::vector<RepositoryInfo> out;
    for (const auto& [name, _] : policies) out.push_back({name, "123456789012", ""});
    return out;
  }
  Result<std::vector<ImageRecord>> list_images(const std::string&) override {
    return std::vector<ImageRecord>{};
  }
  Result<std::vector<ImageRecord>> describe_images(const std::string&,
                                                   const std::vector<std::string>&) override {
    return std::vector<ImageRecord>{};
  }
  Result<DeleteOutcome> delete_images(const std::string&, const std::vector<ImageId>&) override {
    return make_error(ErrorCode::internal, "must not be called");
  }
  Result<std::optional<std::string>> get_lifecycle_policy(const std::string& repository) override {
    std::lock_guard lock(m_mutex);
    if (unreadable.count(repository))
      return make_error(ErrorCode::forbidden, "AccessDeniedException");
    return policies.at(repository);
  }
  Status put_lifecycle_policy(const std::string& repository, const std::string& text) override {
    std::function<void()> hook;
    {
      std::lock_guard lock(m_mutex);
      puts.push_back(repository);
      policies[repository] = text;
      hook = std::exchange(on_put, nullptr);
    }
    if (hook) hook();
    return ok_status();
  }
  Status delete_lifecycle_policy(const std::string& repository) override {
    std::lock_guard lock(m_mutex);
    deletes.push_back(repository);
    policies[repository].reset();
    return ok_status();
  }
  void add_repository(const std::string& name) {
    std::lock_guard lock(m_mutex);
    policies[name] = std::nullopt;
  }

 private:
  std::mutex m_mutex;
};

Policy wanted_policy() {
  return std::move(parse_policy(k_wanted, "wanted.json")).value();
}

TEST(PutPolicyFleet, PreviewWritesNothingAndClassifiesEachRepository) {
  PolicyFakeRegistry registry;
  registry.policies = {{"none", std::nullopt}, {"same", k_same_reformatted}, {"other", k_other}};
  FleetOptions options;
  const auto report =
      put_policy_fleet({{"acct/eu", &registry}}, wanted_policy(), k_wanted, options);
  EXPECT_TRUE(registry.puts.empty());
  ASSERT_EQ(report.results.size(), 3u);
  EXPECT_EQ(report.results[0].repository, "none");
  EXPECT_EQ(report.results[0].change, PolicyChange::create);
  EXPECT_EQ(report.results[0].outcome, FleetOutcome::would_change);
  EXPECT_EQ(report.results[1].repository, "other");
  EXPECT_EQ(report.results[1].change, PolicyChange::update);
  EXPECT_EQ(report.results[2].repository, "same");
  EXPECT_EQ(report.results[2].outcome, FleetOutcome::unchanged);
}

TEST(PutPolicyFleet, WritesOnlyWhatDiffersAndIsIdempotent) {
  PolicyFakeRegistry a, b;
  a.policies = {{"app", std::nullopt}, {"web", k_same_reformatted}, {"legacy", k_other}};
  b.policies = {{"app", k_other}};
  FleetOptions options;
  options.write = true;
  options.repositories.exclude = {"leg*"};
  const auto report =
      put_policy_fleet({{"111/eu", &a}, {"222/us", &b}}, wanted_policy(), k_wanted, options);
  EXPECT_EQ(a.puts, std::vector<std::string>{"app"});
  EXPECT_EQ(b.puts, std::vector<std::string>{"app"});
  EXPECT_EQ(report.count(FleetOutcome::changed), 2u);
  EXPECT_EQ(report.count(FleetOutcome::unchanged), 1u);
  EXPECT_EQ(a.policies["legacy"], k_other);  // excluded
  const auto again =
      put_policy_fleet({{"111/eu", &a}, {"222/us", &b}}, wanted_policy(), k_wanted, options);
  EXPECT_EQ(again.count(FleetOutcome::changed), 0u);
  EXPECT_EQ(a.puts.size() + b.puts.size(), 2u);
}

TEST(PutPolicyFleet, UnreadablePolicyIsAFailureAndIsNotOverwritten) {
  PolicyFakeRegistry registry;
  registry.policies = {{"locked", k_other}, {"open", std::nullopt}};
  registry.unreadable = {"locked"};
  FleetOptions options;
  options.write = true;
  const auto report = put_policy_fleet({{"t", &registry}}, wanted_policy(), k_wanted, options);
  EXPECT_EQ(registry.puts, std::vector<std::string>{"open"});
  EXPECT_TRUE(report.any_failed());
  EXPECT_EQ(report.results[0].outcome, FleetOutcome::failed);
  EXPECT_NE(report.results[0].error.find("AccessDeniedException"), std::string::npos);
}

TEST(PutPolicyFleet, RepositoriesCreatedDuringTheRunAreReported) {
  PolicyFakeRegistry registry;
  registry.policies = {{"app", std::nullopt}};
  registry.on_put = [&] { registry.add_repository("app-new"); };
  FleetOptions options;
  options.write = true;
  const auto report = put_policy_fleet({{"t", &registry}}, wanted_policy(), k_wanted, options);
  EXPECT_EQ(report.appeared_during_run, std::vector<std::string>{"t/app-new"});
}

TEST(PutPolicyFleet, ManyRepositoriesConcurrently) {
  PolicyFakeRegistry registry;
  for (int i = 0; i < 200; ++i)
    registry.policies["repo-" + std::to_string(i)] = i % 2 ? std::optional(k_wanted) : std::nullopt;
  FleetOptions options;
  options.write = true;
  options.concurrency = 8;
  const auto report = put_policy_fleet({{"t", &registry}}, wanted_policy(), k_wanted, options);
  EXPECT_EQ(report.count(FleetOutcome::changed), 100u);
  EXPECT_EQ(report.count(FleetOutcome::unchanged), 100u);
  EXPECT_EQ(registry.puts.size(), 100u);
}

TEST(DeletePolicyFleet, DeletesOnlyInstalledPoliciesAndOnlyWithWrite) {
  PolicyFakeRegistry registry;
  registry.policies = {{"has", k_other}, {"none", std::nullopt}};
  FleetOptions options;
  auto preview = delete_policy_fleet({{"t", &registry}}, options);
  EXPECT_TRUE(registry.deletes.empty());
  EXPECT_EQ(preview.count(FleetOutcome::would_change), 1u);
  options.write = true;
  auto done = delete_policy_fleet({{"t", &registry}}, options);
  EXPECT_EQ(registry.deletes, std::vector<std::string>{"has"});
  EXPECT_EQ(done.count(FleetOutcome::changed), 1u);
}

TEST(GetPoliciesFleet, ReportsRepositoriesWithoutPolicies) {
  PolicyFakeRegistry registry;
  registry.policies = {{"has", k_other}, {"none", std::nullopt}};
  std::vector<std::string> errors;
  const auto got = get_policies_fleet({{"t", &registry}}, FleetOptions{}, errors);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].text, k_other);
  EXPECT_FALSE(got[1].text.has_value());
  EXPECT_TRUE(errors.empty());
}

}  // namespace
}  // namespace regsweep
