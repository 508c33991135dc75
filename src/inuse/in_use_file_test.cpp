#include "inuse/in_use_file.hpp"

#include <gtest/gtest.h>

namespace regsweep {
namespace {

const std::string k_digest = "sha256:" + std::string(64, 'c');

InUseSet sample() {
  InUseSet set;
  set.sources = {"kubernetes prod.json", "keep-file keep.txt"};
  EXPECT_TRUE(set.add("nginx", "kubernetes prod.json: Pod a/b container c").ok());
  EXPECT_TRUE(set.add("v1", "keep-file keep.txt:1", true).ok());
  EXPECT_TRUE(set.add(k_digest, "keep-file keep.txt:2", true).ok());
  set.problems.push_back({"ecs eu-west-1", "DescribeTasks: MISSING"});
  return set;
}

TEST(InUseFile, RoundTripsKindsSourcesAndProblems) {
  const InUseSet set = sample();
  const std::string text = to_in_use_json(set, 1'714'564'800'000);
  EXPECT_NE(text.find("\"createdAt\": \"2024-05-01T12:00:00Z\""), std::string::npos) << text;
  auto back = parse_in_use_json(text, "in-use.json");
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->sources, set.sources);
  ASSERT_EQ(back->entries.size(), 3u);
  // "nginx" from a workload stays a repository; "v1" from a keep file stays a bare tag.
  EXPECT_EQ(back->entries[0].reference.repository, "library/nginx");
  EXPECT_TRUE(back->entries[1].reference.bare());
  EXPECT_EQ(back->entries[1].reference.tag, "v1");
  EXPECT_EQ(back->entries[2].reference.digest, k_digest);
  EXPECT_EQ(back->entries[1].source, "keep-file keep.txt:1");
  ASSERT_EQ(back->problems.size(), 1u);
  EXPECT_EQ(back->problems[0].message, "DescribeTasks: MISSING");
  EXPECT_EQ(to_in_use_json(*back, 1'714'564'800'000), text);
}

TEST(InUseFile, StrictReading) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"[]", "f.json: document: not an object"},
      {R"({"references":[]})", "f.json: regsweepInUse: missing or not 1"},
      {R"({"regsweepInUse":2,"references":[]})", "f.json: regsweepInUse: missing or not 1"},
      {R"({"regsweepInUse":1})", "f.json: references: missing or not an array"},
      {R"({"regsweepInUse":1,"references":[{"image":"a:1","kind":"image"}]})",
       "f.json: references[0]: needs string fields image, kind and source"},
      {R"({"regsweepInUse":1,"references":[{"image":"a:1","kind":"blob","source":"s"}]})",
       "f.json: references[0].kind: 'blob' is not image, tag or digest"},
      {R"({"regsweepInUse":1,"references":[{"image":"a:1","kind":"tag","source":"s"}]})",
       "f.json: references[0].kind: the image parses as kind image"},
      {R"({"regsweepInUse":1,"references":[{"image":"A B","kind":"image","source":"s"}]})",
       "f.json: references[0].image: s: image reference 'A B'"},
  };
  for (const auto& [text, prefix] : cases) {
    auto set = parse_in_use_json(text, "f.json");
    ASSERT_FALSE(set.ok()) << text;
    EXPECT_EQ(set.error().code, ErrorCode::invalid_input);
    EXPECT_TRUE(set.error().message.starts_with(prefix)) << set.error().message;
  }
}

TEST(InUseFile, MergedSetsFromTwoFiles) {
  InUseSet a = sample();
  auto b = parse_in_use_json(
      R"({"regsweepInUse":1,"sources":["ecs us-east-1"],"references":[
        {"image":"nginx","kind":"image","source":"kubernetes prod.json: Pod a/b container c"},
        {"image":"app:2","kind":"image","source":"ecs us-east-1 RUNNING task t container c"}]})",
      "b.json");
  ASSERT_TRUE(b.ok()) << b.error().message;
  merge_in_use(a, *b);
  EXPECT_EQ(a.entries.size(), 4u);
  EXPECT_EQ(a.sources.back(), "ecs us-east-1");
}

}  // namespace
}  // namespace regsweep
