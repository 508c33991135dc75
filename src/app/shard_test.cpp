// Shard assignment: a pure, documented function (FNV-1a-64 of "ACCOUNT/REGION", upper half, mod
// N) whose values are pinned here, so a change to it — which would hand registries to two workers
// during a rolling upgrade — fails a test; and the flags/environment rules of resolve_shard.
#include "app/shard.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace regsweep {
namespace {

GetEnv env_of(std::map<std::string, std::string> values) {
  return [values](std::string_view name) -> std::optional<std::string> {
    auto it = values.find(std::string(name));
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

TEST(Shard, Fnv1a64MatchesTheReferenceVectors) {
  EXPECT_EQ(fnv1a64(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(fnv1a64("foobar"), 0x85944171f73967e8ull);
}

TEST(Shard, AssignmentIsPinned) {
  // Computed independently (tests/e2e/test_sharding.py does the same in Python).
  EXPECT_EQ(fnv1a64("111111111111/eu-west-1"), 11944858445922606986ull);
  EXPECT_EQ(shard_of("111111111111", "eu-west-1", 4), 0u);
  EXPECT_EQ(shard_of("111111111111", "us-east-1", 4), 3u);
  EXPECT_EQ(shard_of("222222222222", "eu-west-1", 4), 2u);
  EXPECT_EQ(shard_of("222222222222", "us-east-1", 4), 0u);
  for (std::uint32_t count : {1u, 2u, 3u, 7u, 100u})
    EXPECT_LT(shard_of("123456789012", "ap-southeast-2", count), count);
  EXPECT_EQ(shard_of("123456789012", "ap-southeast-2", 1), 0u);
}

TEST(Shard, EveryRegistryHasExactlyOneOwnerAndTheyAreSpread) {
  // The low bits of FNV-1a depend only on the low bits of the bytes: taken mod 2^k, the regions
  // below would all land together. The upper half spreads them.
  const char* regions[] = {"eu-west-1", "us-east-1", "us-west-2", "eu-central-1"};
  std::map<std::uint32_t, int> per_shard;
  for (int a = 0; a < 200; ++a) {
    const std::string account = std::to_string(100000000000 + a * 7919);
    for (const char* region : regions) {
      int owners = 0;
      for (std::uint32_t i = 0; i < 4; ++i) owners += owns({i, 4}, account, region) ? 1 : 0;
      EXPECT_EQ(owners, 1);
      ++per_shard[shard_of(account, region, 4)];
    }
  }
  ASSERT_EQ(per_shard.size(), 4u);
  for (const auto& [shard, count] : per_shard) {
    EXPECT_GT(count, 150) << "shard " << shard;  // 200 of 800 expected
    EXPECT_LT(count, 250) << "shard " << shard;
  }
}

TEST(Shard, FlagsWinOverTheEnvironment) {
  auto shard = resolve_shard(1, 4, env_of({{"JOB_COMPLETION_INDEX", "3"}}));
  ASSERT_TRUE(shard.ok()) << shard.error().message;
  EXPECT_EQ(**shard, (ShardSpec{1, 4}));
}

TEST(Shard, IndexedJobsAndBatchArraysGiveTheIndex) {
  auto job = resolve_shard(
      std::nullopt, 4, env_of({{"JOB_COMPLETION_INDEX", "2"}, {"AWS_BATCH_JOB_ARRAY_INDEX", "1"}}));
  ASSERT_TRUE(job.ok()) << job.error().message;
  EXPECT_EQ(**job, (ShardSpec{2, 4}));
  auto batch = resolve_shard(std::nullopt, 4, env_of({{"AWS_BATCH_JOB_ARRAY_INDEX", "3"}}));
  ASSERT_TRUE(batch.ok()) << batch.error().message;
  EXPECT_EQ(**batch, (ShardSpec{3, 4}));
}

TEST(Shard, WithoutACountThereIsNoSharding) {
  auto none = resolve_shard(std::nullopt, std::nullopt, env_of({{"JOB_COMPLETION_INDEX", "2"}}));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST(Shard, BadCombinationsNameTheFlagOrVariable) {
  struct Case {
    std::optional<long long> index, count;
    std::map<std::string, std::string> env;
    std::string expected;
  };
  const Case cases[] = {
      {2, std::nullopt, {}, "--shard-index: needs --shard-count"},
      {std::nullopt, 4, {}, "--shard-count: which shard is this?"},
      {4, 4, {}, "--shard-index: 4 is not from 0 to 3"},
      {std::nullopt, 4, {{"JOB_COMPLETION_INDEX", "7"}}, "JOB_COMPLETION_INDEX: 7 is not from 0"},
      {std::nullopt, 4, {{"AWS_BATCH_JOB_ARRAY_INDEX", "x1"}}, "AWS_BATCH_JOB_ARRAY_INDEX: \"x1\""},
      {0, 0, {}, "--shard-count: 0 is not from 1"},
      {0, 20000, {}, "--shard-count: 20000 is not from 1 to 10000"},
  };
  for (const auto& c : cases) {
    auto shard = resolve_shard(c.index, c.count, env_of(c.env));
    ASSERT_FALSE(shard.ok()) << c.expected;
    EXPECT_EQ(shard.error().code, ErrorCode::invalid_input);
    EXPECT_NE(shard.error().message.find(c.expected), std::string::npos) << shard.error().message;
  }
}

TEST(Shard, ASavedPlanIsSplitByItsRepositoriesRegistries) {
  SavedPlan plan;
  plan.repositories = {{"a", "111111111111", "eu-west-1", {}},
                       {"b", "111111111111", "us-east-1", {}},
                       {"c", "222222222222", "us-east-1", {}}};
  auto zero = select_shard(plan, {0, 4}, "m.json");
  ASSERT_TRUE(zero.ok());
  ASSERT_EQ(zero->repositories.size(), 2u);
  EXPECT_EQ(zero->repositories[0].repository, "a");
  EXPECT_EQ(zero->repositories[1].repository, "c");
  auto three = select_shard(plan, {3, 4}, "m.json");
  ASSERT_TRUE(three.ok());
  ASSERT_EQ(three->repositories.size(), 1u);
  EXPECT_EQ(three->repositories[0].repository, "b");
  plan.repositories.push_back({"snap", "", "", {}});
  auto refused = select_shard(plan, {0, 4}, "m.json");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("--plan m.json: repository snap has no registryId"),
            std::string::npos);
}

}  // namespace
}  // namespace regsweep
