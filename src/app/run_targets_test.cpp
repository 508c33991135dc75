// The run use case against fake registries (opened through RunRequest::open): install previews
// and writes, apply plans only without --yes, exclusions hold, a glob matching nothing fails its
// target, and protections are read before anything is contacted.
#include "app/run_targets.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "registry/forwarding_registry.hpp"
#include "support/policy_fixtures.hpp"
#include "support/use_case_fixture.hpp"

namespace regsweep {
namespace {

using testing::aged;
using testing::k_day;
using ::testing::SizeIs;

const char* k_policy =
    R"({"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}]})";

Result<std::string> no_files(const std::string& path) {
  return make_error(ErrorCode::not_found, path + ": no such file");
}

class RunUseCase : public ::testing::Test {
 protected:
  RunUseCase() {
    for (const auto& name : {"svc-1", "svc-2", "legacy"}) {
      fake.add_repository(name, {aged(std::string("sha256:old-") + name, {}, 30 * k_day),
                                 aged(std::string("sha256:v-") + name, {"v1"}, 30 * k_day)});
    }
  }

  Result<PreparedRun> config(const std::string& targets, const std::string& settings = "") {
    const std::string yaml = "settings:\n  journal: " + f.journal_path() + "\n" + settings +
                             "policies:\n  p: {inline: '" + k_policy + "'}\ntargets:\n" + targets;
    auto parsed = parse_run_config(yaml, "/tmp/r.yaml", &no_files);
    if (!parsed) return parsed.error();
    return prepare_run(std::move(parsed).value());
  }

  RunRequest request(bool yes) {
    RunRequest r;
    r.yes = yes;
    r.env = f.session().env;
    r.now = f.clock.now();
    r.open = [this](const RegistrySource& source) -> Result<std::vector<OpenedRegistry>> {
      ++opened;
      std::vector<OpenedRegistry> out;
      out.push_back({"111111111111/" +
                         (source.regions.empty() ? std::string("us-east-1") : source.regions[0]),
                     std::make_unique<ForwardingRegistry>(fake), "", "us-east-1", nullptr});
      return out;
    };
    return r;
  }

  testing::UseCaseFixture f;
  testing::FakeRegistry fake;
  RunEvents events;
  int opened = 0;
};

TEST_F(RunUseCase, ApplyPlansOnlyWithoutYesAndHonoursExclusions) {
  auto run = config("  - {name: clean, policy: p, mode: apply, exclude: [legacy]}\n");
  ASSERT_TRUE(run.ok()) << run.error().message;
  auto results = run_targets(*run, request(false), f.clock, events);
  ASSERT_THAT(results, SizeIs(1));
  EXPECT_FALSE(results[0].failed);
  EXPECT_EQ(results[0].planned.expiring, 2u);
  EXPECT_EQ(results[0].deletion->ending, DeletionEnding::plan_only);
  EXPECT_THAT(fake.calls("delete_images"), SizeIs(0));
  results = run_targets(*run, request(true), f.clock, events);
  EXPECT_EQ(results[0].deletion->report.deleted, 2u);
  EXPECT_THAT(fake.images("legacy"), SizeIs(2)) << "excluded";
  EXPECT_THAT(fake.images("svc-1"), SizeIs(1));
}

TEST_F(RunUseCase, InstallPreviewsWithoutYesAndWritesWithIt) {
  auto run = config("  - {name: install, policy: p, mode: install, repositories: ['svc-*']}\n");
  ASSERT_TRUE(run.ok()) << run.error().message;
  auto results = run_targets(*run, request(false), f.clock, events);
  ASSERT_TRUE(results[0].install.has_value());
  EXPECT_EQ(results[0].install->count(PolicyChange::create), 2u);
  EXPECT_THAT(fake.calls("put_lifecycle_policy"), SizeIs(0));
  results = run_targets(*run, request(true), f.clock, events);
  EXPECT_THAT(fake.calls("put_lifecycle_policy"), SizeIs(2));
}

TEST_F(RunUseCase, AGlobThatMatchesNothingFailsTheTargetButAnExcludedMatchDoesNot) {
  auto run = config(
      "  - {name: typo, policy: p, mode: install, repositories: ['svx-*']}\n"
      "  - {name: excluded, policy: p, mode: install, repositories: ['legacy'], exclude: "
      "[legacy]}\n");
  ASSERT_TRUE(run.ok()) << run.error().message;
  const auto results = run_targets(*run, request(false), f.clock, events);
  EXPECT_TRUE(results[0].failed);
  EXPECT_EQ(results[0].unmatched_globs, std::vector<std::string>{"svx-*"});
  EXPECT_FALSE(results[1].failed);
}

TEST_F(RunUseCase, AShardOpensItsTargetsWithTheShardAndOnlyNotesAnUnmatchedGlob) {
  auto run = config(
      "  - {name: typo, policy: p, mode: install, repositories: ['svx-*'], "
      "external_id: x1, accounts: ['arn:aws:iam::111111111111:role/r']}\n");
  ASSERT_TRUE(run.ok()) << run.error().message;
  RunRequest sharded = request(false);
  sharded.shard = ShardSpec{1, 3};
  std::vector<RegistrySource> sources;
  const auto open = sharded.open;
  sharded.open = [&](const RegistrySource& source) {
    sources.push_back(source);
    return open(source);
  };
  const auto results = run_targets(*run, sharded, f.clock, events);
  ASSERT_THAT(sources, SizeIs(1));
  EXPECT_EQ(sources[0].shard, (ShardSpec{1, 3}));
  EXPECT_EQ(sources[0].external_id, "x1");
  // 'svx-*' may match in another shard's registries: not a failure here.
  EXPECT_FALSE(results[0].failed);
  EXPECT_TRUE(results[0].unmatched_globs.empty());
}

TEST_F(RunUseCase, UnreadableProtectionsStopTheRunBeforeAnythingIsOpened) {
  auto run = config(
      "  - {name: clean, policy: p, mode: apply, protections: {keep_files: [/nonexistent/k]}}\n");
  ASSERT_FALSE(run.ok());
  EXPECT_THAT(run.error().message, ::testing::HasSubstr("target clean: protections: keep_files"));
  EXPECT_EQ(opened, 0);
}

}  // namespace
}  // namespace regsweep
