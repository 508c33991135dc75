// The web UI's use cases over fake registries: what it deletes goes through delete_one_off's
// protections and the deletion session (journal), only with the confirmation and only the impact
// the person saw; a snapshot is read-only; the policy editor's messages carry lines and columns.
#include "web/workspace.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <map>
#include <thread>

#include "support/use_case_fixture.hpp"

namespace regsweep::web {
namespace {

using testing::aged;
using testing::FakeRegistry;
using testing::UseCaseFixture;

constexpr EpochMillis k_day = 86'400'000;

class WorkspaceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    FakeRegistry& registry = fixture.add_registry("111111111111/us-east-1");
    registry.add_repository(
        "app", {aged("sha256:a1", {"v1"}, 50 * k_day), aged("sha256:a2", {"v2"}, 40 * k_day),
                aged("sha256:a3", {}, 30 * k_day), aged("sha256:a4", {"v4"}, 1 * k_day)});
    m_registry = &registry;
    in_use = {{"sha256:a2", "k8s deployment prod/web"}};
    WorkspaceConfig config;
    config.plan.now = fixture.clock.now();
    config.plan.in_use_for = [this](const Repository&) { return &in_use; };
    config.journal = fixture.journal_path();
    config.env = fixture.session().env;
    config.source = "test";
    workspace =
        std::make_unique<Workspace>(std::move(config), std::move(fixture.opened()), fixture.clock);
    workspace->load();
  }

  nlohmann::json finish(const std::string& id) {
    for (int i = 0; i < 500; ++i) {
      const Answer answer = workspace->job(id);
      if (answer.body["done"].get<bool>()) return answer.body["result"];
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "the deletion did not finish";
    return {};
  }

  bool still_there(const std::string& digest) const {
    for (const auto& image : m_registry->images("app"))
      if (image.digest == digest) return true;
    return false;
  }

  UseCaseFixture fixture;
  std::unordered_map<std::string, std::string> in_use;
  std::unique_ptr<Workspace> workspace;
  FakeRegistry* m_registry = nullptr;
};

TEST_F(WorkspaceTest, TheImpactNamesWhatGoesAndWhatTheProtectionsKeepAndTouchesNothing) {
  const Answer impact = workspace->delete_preview(0, "app", {"sha256:a1", "sha256:a2"});
  ASSERT_EQ(impact.status, 200) << impact.body.dump();
  EXPECT_EQ(impact.body["count"], 1);
  EXPECT_EQ(impact.body["items"][0]["digest"], "sha256:a1");
  EXPECT_EQ(impact.body["kept"][0]["digest"], "sha256:a2");
  EXPECT_NE(impact.body["kept"][0]["why"].get<std::string>().find("in use"), std::string::npos);
  EXPECT_TRUE(m_registry->calls("delete_images").empty());
  EXPECT_TRUE(fixture.journal().empty());
}

TEST_F(WorkspaceTest, DeletesOnlyWithTheRepositoryNameTypedAndKeepsTheProtectedOne) {
  const std::vector<std::string> digests = {"sha256:a1", "sha256:a2"};
  const std::uint64_t bytes = workspace->delete_preview(0, "app", digests).body["bytes"];
  EXPECT_EQ(workspace->start_delete(0, "app", digests, "ap", 1, bytes).status, 400);
  EXPECT_TRUE(m_registry->calls("delete_images").empty());

  const Answer started = workspace->start_delete(0, "app", digests, "app", 1, bytes);
  ASSERT_EQ(started.status, 202) << started.body.dump();
  const auto result = finish(started.body["job"]);
  EXPECT_EQ(result["ending"], "deleted");
  EXPECT_EQ(result["deleted"], 1);
  EXPECT_EQ(result["kept"][0]["digest"], "sha256:a2");
  EXPECT_FALSE(still_there("sha256:a1"));
  EXPECT_TRUE(still_there("sha256:a2"));
  // Journaled before and after, as every deletion is.
  const auto records = fixture.journal();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].kind, JournalKind::intent);
  EXPECT_EQ(records[1].outcome, JournalOutcome::deleted);
  // The view lists the repository again.
  const Answer view = workspace->images(0, "app", ImageQuery{}, false);
  EXPECT_EQ(view.body["matched"], 3);
  // And the journal view shows the run.
  const Answer journal = workspace->journal("", "deleted", "", "", 100);
  ASSERT_EQ(journal.body["entries"].size(), 1u);
  EXPECT_EQ(journal.body["entries"][0]["digest"], "sha256:a1");
  EXPECT_EQ(journal.body["entries"][0]["action"], "delete");
  EXPECT_EQ(journal.body["runs"].size(), 1u);
}

TEST_F(WorkspaceTest, NothingIsDeletedWhenTheImpactChangedSinceItWasShown) {
  const std::vector<std::string> digests = {"sha256:a1"};
  const std::uint64_t bytes = workspace->delete_preview(0, "app", digests).body["bytes"];
  in_use["sha256:a1"] = "k8s pod prod/web-1";  // deployed meanwhile
  const auto result =
      finish(workspace->start_delete(0, "app", digests, "app", 1, bytes).body["job"]);
  EXPECT_EQ(result["ending"], "nothing_to_delete");
  EXPECT_TRUE(still_there("sha256:a1"));
  EXPECT_TRUE(m_registry->calls("delete_images").empty());

  // A selection that grew (another image now goes with it) is not consented to either.
  in_use.erase("sha256:a1");
  const auto grown =
      finish(workspace->start_delete(0, "app", digests, "app", 1, bytes + 1).body["job"]);
  EXPECT_EQ(grown["ending"], "declined");
  EXPECT_NE(grown["error"].get<std::string>().find("changed"), std::string::npos);
  EXPECT_TRUE(still_there("sha256:a1"));
}

TEST_F(WorkspaceTest, PolicyProblemsCarryLineAndColumn) {
  // `policy validate` says "p.json:3:112: rules[0].selection.countUnit: missing; ...".
  const Answer answer = workspace->validate_policy(
      "{\n  \"rules\": [\n    {\"rulePriority\": 1, \"description\": \"a long enough description "
      "to "
      "pass the size check of ECR\", \"selection\": {\"tagStatus\": \"untagged\", \"countType\": "
      "\"sinceImagePushed\", \"countNumber\": 3}, \"action\": {\"type\": \"expire\"}}\n  ]\n}");
  EXPECT_FALSE(answer.body["valid"].get<bool>());
  ASSERT_EQ(answer.body["problems"].size(), 1u) << answer.body.dump();
  EXPECT_EQ(answer.body["problems"][0]["line"], 3);
  EXPECT_EQ(answer.body["problems"][0]["column"], 112);
  EXPECT_EQ(
      answer.body["problems"][0]["message"],
      "rules[0].selection.countUnit: missing; sinceImagePushed needs \"countUnit\": \"days\"");
  // The size problem is placed at the start.
  const Answer small = workspace->validate_policy("{}");
  EXPECT_EQ(small.body["problems"][0]["line"], 1);
}

TEST_F(WorkspaceTest, ThePreviewCountsAreThePlansCounts) {
  const std::string text = R"({"rules":[{"rulePriority":1,"description":"old tagged",
    "selection":{"tagStatus":"tagged","tagPrefixList":["v"],"countType":"imageCountMoreThan",
    "countNumber":1},"action":{"type":"expire"}}]})";
  const Answer answer = workspace->preview_policy(text, nlohmann::json::array());
  ASSERT_EQ(answer.status, 200) << answer.body.dump();
  // v4 is the newest tagged; v1 expires; v2 is in use (kept).
  EXPECT_EQ(answer.body["totals"]["images"], 4);
  EXPECT_EQ(answer.body["totals"]["expiring"], 1);
  EXPECT_EQ(answer.body["images"][0]["digest"], "sha256:a1");
}

TEST_F(WorkspaceTest, InstallingAPolicyNeedsTheConfirmationThenTheViewsPlanWithIt) {
  const std::string text = R"({"rules":[{"rulePriority":1,"description":"old tagged",
    "selection":{"tagStatus":"tagged","tagPrefixList":["v"],"countType":"imageCountMoreThan",
    "countNumber":1},"action":{"type":"expire"}}]})";
  const nlohmann::json app = nlohmann::json::array({{{"registry", 0}, {"name", "app"}}});
  EXPECT_EQ(workspace->put_policy(text, app, "").status, 400);
  EXPECT_FALSE(m_registry->get_lifecycle_policy("app")->has_value());
  EXPECT_EQ(workspace->diff_policy(text, app).body["results"][0]["change"], "create");
  const Answer put = workspace->put_policy(text, app, "install");
  ASSERT_EQ(put.status, 200) << put.body.dump();
  EXPECT_EQ(put.body["results"][0]["outcome"], "changed");
  EXPECT_EQ(m_registry->get_lifecycle_policy("app")->value_or(""), text);
  const Answer overview = workspace->overview();
  EXPECT_EQ(overview.body["mode"], "installed");
  EXPECT_TRUE(overview.body["repositories"][0]["installedPolicy"].get<bool>());
  EXPECT_EQ(overview.body["totals"]["plan"]["expiring"], 1);
}

TEST(WorkspaceSnapshot, ASnapshotIsReadOnly) {
  UseCaseFixture fixture;
  fixture.add_registry("snapshot", "", "");  // no region: not a live registry
  WorkspaceConfig config;
  Workspace workspace(std::move(config), std::move(fixture.opened()), fixture.clock);
  workspace.load();
  EXPECT_TRUE(workspace.read_only());
  EXPECT_EQ(workspace.delete_preview(0, "app", {"sha256:a1"}).status, 403);
  EXPECT_EQ(workspace.start_delete(0, "app", {"sha256:a1"}, "app", 1, 1).status, 403);
  EXPECT_EQ(workspace.put_policy("{}", nlohmann::json::array(), "install").status, 403);
}

TEST_F(WorkspaceTest, TheJournalViewReadsOldAndNewFieldNames) {
  // A journal an older regsweep wrote (registry, repository, digest, tags, sizeBytes), then lines
  // of today's (ECR's names, docs/output.md): the UI shows both runs, sizes and all.
  {
    std::ofstream out(fixture.journal_path());
    out << R"({"digest":"sha256:old","kind":"intent","reason":"r","region":"us-east-1",)"
           R"("registry":"111111111111","repository":"app","runId":"run-old","sizeBytes":100,)"
           R"("tags":["v0"],"time":"2024-05-01T12:00:00Z"})"
        << "\n"
        << R"({"digest":"sha256:old","kind":"result","outcome":"deleted","reason":"",)"
           R"("region":"us-east-1","registry":"111111111111","repository":"app",)"
           R"("runId":"run-old","sizeBytes":100,"tags":["v0"],"time":"2024-05-01T12:00:01Z"})"
        << "\n"
        << R"({"imageDigest":"sha256:new","imageSizeInBytes":200,"imageTags":["v9"],)"
           R"("kind":"intent","reason":"r","region":"us-east-1","registryId":"111111111111",)"
           R"("repositoryName":"app","runId":"run-new","time":"2024-05-02T12:00:00Z"})"
        << "\n"
        << R"({"imageDigest":"sha256:new","imageSizeInBytes":200,"imageTags":["v9"],)"
           R"("kind":"result","outcome":"deleted","reason":"","region":"us-east-1",)"
           R"("registryId":"111111111111","repositoryName":"app","runId":"run-new",)"
           R"("time":"2024-05-02T12:00:01Z"})"
        << "\n";
  }
  const Answer journal = workspace->journal("", "deleted", "", "", 100);
  ASSERT_EQ(journal.status, 200) << journal.body.dump();
  EXPECT_EQ(journal.body["badLines"], 0);
  ASSERT_EQ(journal.body["entries"].size(), 2u) << journal.body.dump();
  std::map<std::string, std::pair<std::string, std::uint64_t>> shown;  // digest: tag, size
  for (const auto& entry : journal.body["entries"]) {
    EXPECT_EQ(entry["repository"], "app");
    EXPECT_EQ(entry["registry"], "111111111111");
    ASSERT_EQ(entry["tags"].size(), 1u);
    shown[entry["digest"]] = {entry["tags"][0], entry["size"]};
  }
  EXPECT_EQ(shown, (std::map<std::string, std::pair<std::string, std::uint64_t>>{
                       {"sha256:old", {"v0", 100}}, {"sha256:new", {"v9", 200}}}));
  ASSERT_EQ(journal.body["runs"].size(), 2u);
  EXPECT_EQ(journal.body["runs"][0]["bytes"].get<std::uint64_t>() +
                journal.body["runs"][1]["bytes"].get<std::uint64_t>(),
            300u);
}

}  // namespace
}  // namespace regsweep::web
