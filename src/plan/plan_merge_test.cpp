// plan merge: shard plans joined into one document, and every refusal (a registry or repository in
// two plans, a missing or repeated shard, different policies or times) before a byte is written.
#include "plan/plan_merge.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "plan/saved_plan.hpp"

namespace regsweep {
namespace {

std::string image(const std::string& digest, const std::string& action) {
  return R"({"imageDigest":")" + digest +
         R"(","imageTags":[],"imagePushedAt":"2026-01-01T00:00:00Z","imageSizeInBytes":100,)"
         R"("storageClass":"standard","action":")" +
         action + R"(","appliedRulePriority":)" + (action == "expire" ? "1" : "null") +
         R"(,"rulePriority":1,"reasonCode":"ageExceeded","reason":"r"})";
}

std::string repo(const std::string& account, const std::string& region, const std::string& name,
                 const std::string& digest) {
  return R"({"repositoryName":")" + name + R"(","registryId":")" + account + R"(","region":")" +
         region +
         R"(","summary":{"images":2,"expiring":1,"transitioning":0,"kept":1,"bytesTotal":200,)"
         R"("bytesExpiring":100,"bytesTransitioning":0,"monthlySavings":0.5},"images":[)" +
         "\n" + image(digest + "1", "expire") + ",\n" + image(digest + "2", "keep") + "]}";
}

struct Shard {
  int index;
  std::vector<std::pair<std::string, std::string>> registries;  // account, region
  std::string now = "2026-11-01T00:00:00Z";
  std::string policy = R"({"rules":[]})";
  int schema = 2;                     // 1: sources[].account, skippedRegistries[].registry
  std::string skipped_registry = "";  // a label in skippedRegistries, when not empty
};

std::string shard_plan(const Shard& s, int count = 3) {
  std::string sources, repos;
  const std::string account_key = s.schema == 1 ? "account" : "registryId";
  int n = 0;
  for (const auto& [account, region] : s.registries) {
    sources += std::string(sources.empty() ? "" : ",") + R"({"label":")" + account + "/" + region +
               R"(","source":"ECR",")" + account_key + R"(":")" + account + R"(","region":")" +
               region + "\"}";
    repos += std::string(repos.empty() ? "" : ",\n") +
             repo(account, region, "app", "sha256:" + account.substr(0, 1) + region.substr(0, 2));
    ++n;
  }
  const std::string skipped = s.skipped_registry.empty()
                                  ? ""
                                  : "{\"" + std::string(s.schema == 1 ? "registry" : "label") +
                                        "\":\"" + s.skipped_registry +
                                        "\",\"reason\":\"AccessDenied\"}";
  return R"({"schemaVersion":)" + std::to_string(s.schema) + R"(,"source":"x","sources":[)" +
         sources + R"(],"shard":{"index":)" + std::to_string(s.index) + R"(,"count":)" +
         std::to_string(count) + R"(},"now":")" + s.now +
         R"(","pricePerGbMonth":0.1,"archivePricePerGbMonth":0.1,"policy":)" + s.policy +
         R"(,"repositories":[)" + repos + R"(],"skippedRepositories":[],"skippedRegistries":[)" +
         skipped + R"(],"totals":{"repositories":)" + std::to_string(n) + R"(,"images":)" +
         std::to_string(2 * n) + R"(,"expiring":)" + std::to_string(n) +
         R"(,"transitioning":0,"kept":)" + std::to_string(n) + R"(,"bytesTotal":)" +
         std::to_string(200 * n) + R"(,"bytesExpiring":)" + std::to_string(100 * n) +
         R"(,"bytesTransitioning":0,"monthlySavings":)" + std::to_string(0.5 * n) + "}}";
}

Result<std::string> merge(const std::vector<std::string>& texts,
                          MergedPlanSummary* summary = nullptr) {
  std::vector<PlanText> plans;
  for (std::size_t i = 0; i < texts.size(); ++i)
    plans.push_back({"shard-" + std::to_string(i) + ".json", texts[i]});
  std::string out;
  auto merged = merge_plan_documents(plans, [&](std::string_view chunk) { out += chunk; });
  if (!merged) {
    EXPECT_TRUE(out.empty()) << "written before a refusal";
    return merged.error();
  }
  if (summary) *summary = std::move(merged).value();
  return out;
}

TEST(PlanMerge, ShardsBecomeOneDocumentWithEverythingAndSummedTotals) {
  const std::string a =
      shard_plan({0, {{"111111111111", "eu-west-1"}, {"222222222222", "us-east-1"}}});
  const std::string b = shard_plan({1, {}});  // a shard that owns no registry
  const std::string c = shard_plan({2, {{"111111111111", "us-east-1"}}});
  MergedPlanSummary summary;
  auto merged = merge({a, b, c}, &summary);
  ASSERT_TRUE(merged.ok()) << merged.error().message;
  const auto doc = nlohmann::json::parse(*merged);
  EXPECT_EQ(doc["schemaVersion"], 2);
  EXPECT_FALSE(doc.contains("shard"));
  EXPECT_EQ(doc["source"], "3 registries");
  ASSERT_EQ(doc["sources"].size(), 3u);
  EXPECT_EQ(doc["sources"][2]["label"], "111111111111/us-east-1");
  EXPECT_EQ(doc["sources"][2]["registryId"], "111111111111");
  ASSERT_EQ(doc["repositories"].size(), 3u);
  EXPECT_EQ(doc["repositories"][1]["registryId"], "222222222222");
  EXPECT_EQ(doc["repositories"][0]["images"].size(), 2u);
  EXPECT_EQ(doc["totals"]["repositories"], 3);
  EXPECT_EQ(doc["totals"]["expiring"], 3);
  EXPECT_EQ(doc["totals"]["bytesExpiring"], 300);
  EXPECT_DOUBLE_EQ(doc["totals"]["monthlySavings"].get<double>(), 1.5);
  EXPECT_EQ(doc["now"], "2026-11-01T00:00:00Z");
  // The summary the command's table shows: each input, then the whole.
  ASSERT_EQ(summary.parts.size(), 3u);
  EXPECT_EQ(summary.parts[0].name, "shard-0.json");
  ASSERT_TRUE(summary.parts[2].shard.has_value());
  EXPECT_EQ(summary.parts[2].shard->index, 2u);
  EXPECT_EQ(summary.parts[0].registries, 2u);
  EXPECT_EQ(summary.parts[1].registries, 0u);
  EXPECT_EQ(summary.parts[0].totals.expiring, 2u);
  EXPECT_EQ(summary.registries, 3u);
  EXPECT_EQ(summary.totals.bytes_expiring, 300u);
  // One image per line, as the plan writer lays it out.
  EXPECT_NE(merged->find("[\n{\"imageDigest\""), std::string::npos);
  // And apply --plan reads it.
  auto saved = parse_saved_plan(*merged, "merged.json");
  ASSERT_TRUE(saved.ok()) << saved.error().message;
  ASSERT_EQ(saved->repositories.size(), 3u);
  EXPECT_EQ(saved->repositories[2].region, "us-east-1");
  EXPECT_EQ(saved->repositories[2].expiring.size(), 1u);
}

TEST(PlanMerge, RefusalsNameTheFileAndTheProblem) {
  const std::string a = shard_plan({0, {{"111111111111", "eu-west-1"}}});
  const std::string b = shard_plan({1, {{"222222222222", "eu-west-1"}}});
  const std::string c = shard_plan({2, {}});
  struct Case {
    std::vector<std::string> texts;
    std::string expected;
  };
  const Case cases[] = {
      {{a, shard_plan({1, {{"111111111111", "eu-west-1"}}}), c},
       "shard-1.json: repository app of 111111111111/eu-west-1 is also in shard-0.json"},
      {{a, b}, "shard-0.json: the plans of shard 2 (of 3) are missing"},
      {{a, b, c, c}, "shard-3.json: shard 2 again (also shard-2.json)"},
      {{a, shard_plan({1, {}, "2026-11-02T00:00:00Z"}), c},
       "shard-1.json: now: differs from shard-0.json's"},
      {{a, shard_plan({1, {}, "2026-11-01T00:00:00Z", R"({"rules":[{"x":1}]})"}), c},
       "shard-1.json: policy: differs"},
      {{a, shard_plan({1, {}}, 4), c}, "shard-1.json: shard.count 4 differs from shard-0.json's 3"},
      {{a, "{\"schemaVersion\":3}"}, "shard-1.json: schemaVersion: not 1 or 2"},
      {{a, "not json"}, "shard-1.json: not a JSON object"},
      {{}, "no plan given"},
  };
  for (const auto& c : cases) {
    auto merged = merge(c.texts);
    ASSERT_FALSE(merged.ok()) << c.expected;
    EXPECT_EQ(merged.error().code, ErrorCode::invalid_input);
    EXPECT_NE(merged.error().message.find(c.expected), std::string::npos) << merged.error().message;
  }
}

TEST(PlanMerge, AShardPlanAndAnUnshardedOneDoNotMix) {
  std::string unsharded = shard_plan({1, {{"222222222222", "eu-west-1"}}});
  unsharded.erase(unsharded.find(",\"shard\""),
                  std::string(",\"shard\":{\"index\":1,\"count\":3}").size());
  auto merged = merge({shard_plan({0, {{"111111111111", "eu-west-1"}}}), unsharded});
  ASSERT_FALSE(merged.ok());
  EXPECT_NE(merged.error().message.find("shard-1.json: is not a shard's plan"), std::string::npos)
      << merged.error().message;
}

TEST(PlanMerge, UnshardedPlansOfDifferentRegistriesMerge) {
  // Plans of one registry each (no "sources"): their entry comes from the repositories.
  const auto plain = [](const std::string& account) {
    std::string text = shard_plan({0, {{account, "eu-west-1"}}});
    text.erase(text.find(",\"shard\""), std::string(",\"shard\":{\"index\":0,\"count\":3}").size());
    text.erase(text.find("\"sources\""), text.find("\"now\"") - text.find("\"sources\""));
    return text;
  };
  auto merged = merge({plain("111111111111"), plain("222222222222")});
  ASSERT_TRUE(merged.ok()) << merged.error().message;
  const auto doc = nlohmann::json::parse(*merged);
  ASSERT_EQ(doc["sources"].size(), 2u);
  EXPECT_EQ(doc["sources"][1]["registryId"], "222222222222");
  auto twice = merge({plain("111111111111"), plain("111111111111")});
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.error().message.find("is also in shard-0.json"), std::string::npos);
}

TEST(PlanMerge, PlansOfSchemaOneAreReadAndWrittenWithTodaysNames) {
  // Shards planned by a regsweep before issue 15 (sources[].account,
  // skippedRegistries[].registry), one of them mixed with a shard of today's schema.
  Shard old0{0, {{"111111111111", "eu-west-1"}}};
  old0.schema = 1;
  old0.skipped_registry = "333333333333/eu-west-1";
  Shard old1{1, {{"222222222222", "eu-west-1"}}};
  old1.schema = 1;
  auto merged = merge({shard_plan(old0, 2), shard_plan(old1, 2)});
  ASSERT_TRUE(merged.ok()) << merged.error().message;
  const auto doc = nlohmann::json::parse(*merged);
  EXPECT_EQ(doc["schemaVersion"], 2);
  ASSERT_EQ(doc["sources"].size(), 2u);
  EXPECT_EQ(doc["sources"][0]["registryId"], "111111111111");
  EXPECT_FALSE(doc["sources"][0].contains("account"));
  ASSERT_EQ(doc["skippedRegistries"].size(), 1u);
  EXPECT_EQ(doc["skippedRegistries"][0]["label"], "333333333333/eu-west-1");
  EXPECT_FALSE(doc["skippedRegistries"][0].contains("registry"));
  EXPECT_EQ(doc["skippedRegistries"][0]["reason"], "AccessDenied");

  // The old names still count when checking that no registry is in two plans.
  Shard mixed{1, {{"111111111111", "eu-west-1"}}};
  auto twice = merge({shard_plan(old0, 2), shard_plan(mixed, 2)});
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.error().message.find("is also in shard-0.json"), std::string::npos)
      << twice.error().message;
  Shard skipped_again{1, {}};
  skipped_again.skipped_registry = "333333333333/eu-west-1";
  auto skipped_twice = merge({shard_plan(old0, 2), shard_plan(skipped_again, 2)});
  ASSERT_FALSE(skipped_twice.ok());
  EXPECT_NE(skipped_twice.error().message.find("registry 333333333333/eu-west-1 is also in"),
            std::string::npos)
      << skipped_twice.error().message;
}

}  // namespace
}  // namespace regsweep
