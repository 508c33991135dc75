#include "inuse/in_use.hpp"

#include <gtest/gtest.h>

namespace regsweep {
namespace {

std::string digest(char c) {
  return "sha256:" + std::string(64, c);
}
const std::string k_host = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

ImageRecord image(char c, std::vector<std::string> tags) {
  ImageRecord record;
  record.digest = digest(c);
  record.tags = std::move(tags);
  return record;
}

std::vector<ImageRecord> api_images() {
  return {image('a', {"v1", "latest"}), image('b', {"v2"}), image('c', {}), image('d', {})};
}

RepositoryLocation api_location() {
  Repository repo;
  repo.name = "team/api";
  repo.registry_id = "123456789012";
  repo.region = "eu-west-1";
  return location_of(repo);
}

std::vector<std::string> digests_of(const RepositoryInUse& in_use) {
  std::vector<std::string> out;
  for (const auto& [d, _] : in_use.in_use) out.push_back(d);
  return out;
}

TEST(InUse, LocationOfEcrRepository) {
  EXPECT_EQ(api_location().registry_host, k_host);
  Repository china;
  china.name = "x";
  china.registry_id = "123456789012";
  china.region = "cn-north-1";
  EXPECT_EQ(location_of(china).registry_host, "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn");
}

struct ResolveCase {
  std::string name;
  std::vector<std::pair<std::string, bool>> refs;  // raw, allow bare tag
  std::vector<std::string> expected_digests;
  std::size_t expected_unresolved;
};

TEST(InUse, ResolvesByDigestAndByTagAgainstTheInventory) {
  const std::vector<ResolveCase> cases = {
      {"tag on this host", {{k_host + "/team/api:v2", false}}, {digest('b')}, 0},
      {"digest on this host", {{k_host + "/team/api@" + digest('c'), false}}, {digest('c')}, 0},
      {"tag and digest protect both",
       {{k_host + "/team/api:v2@" + digest('d'), false}},
       {digest('b'), digest('d')},
       0},
      {"no tag means latest", {{k_host + "/team/api", false}}, {digest('a')}, 0},
      {"unknown tag is unresolved, never guessed", {{k_host + "/team/api:v9", false}}, {}, 1},
      {"unknown digest is unresolved", {{k_host + "/team/api@" + digest('f'), false}}, {}, 1},
      {"other account",
       {{"210987654321.dkr.ecr.eu-west-1.amazonaws.com/team/api:v2", false}},
       {},
       0},
      {"other region",
       {{"123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api:v2", false}},
       {},
       0},
      {"other repository", {{k_host + "/team/web:v2", false}}, {}, 0},
      {"other host", {{"quay.io/team/api:v2", false}}, {}, 0},
      {"no host: matches by name", {{"team/api:v1", false}}, {digest('a')}, 0},
      {"bare tag applies everywhere", {{"v2", true}}, {digest('b')}, 0},
      {"bare digest applies everywhere", {{digest('c'), false}}, {digest('c')}, 0},
      {"bare tag that misses is not reported per repository", {{"v9", true}}, {}, 0},
      {"dualstack host of the same registry",
       {{"123456789012.dkr-ecr.eu-west-1.on.aws/team/api:v2", false}},
       {digest('b')},
       0},
      {"several entries",
       {{"team/api:v1", false}, {k_host + "/team/api:v2", false}, {digest('d'), false}},
       {digest('a'), digest('b'), digest('d')},
       0},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    InUseSet set;
    for (const auto& [raw, bare] : c.refs) ASSERT_TRUE(set.add(raw, "test", bare).ok()) << raw;
    const InUseIndex index(set);
    const auto images = api_images();
    const auto in_use = index.resolve(api_location(), images);
    EXPECT_EQ(digests_of(in_use), c.expected_digests);
    EXPECT_EQ(in_use.unresolved.size(), c.expected_unresolved);
  }
}

TEST(InUse, ReasonsNameTheSourceAndTheTag) {
  InUseSet set;
  ASSERT_TRUE(
      set.add("team/api:v1", "kubernetes prod.json: Deployment prod/api template container web")
          .ok());
  ASSERT_TRUE(set.add(k_host + "/team/api@" + digest('a'), "keep-file keep.txt:3").ok());
  const auto images = api_images();
  const auto in_use = InUseIndex(set).resolve(api_location(), images);
  ASSERT_TRUE(in_use.contains(digest('a')));
  EXPECT_EQ(in_use.in_use.at(digest('a')).reasons,
            (std::vector<std::string>{
                "in use: kubernetes prod.json: Deployment prod/api template container web: "
                "team/api:v1 (tag v1)",
                "in use: keep-file keep.txt:3: " + k_host + "/team/api@" + digest('a')}));
  set.entries.clear();
  ASSERT_TRUE(set.add("team/api:gone", "keep-file keep.txt:4").ok());
  const auto missing = InUseIndex(set).resolve(api_location(), images);
  ASSERT_EQ(missing.unresolved.size(), 1u);
  EXPECT_EQ(missing.unresolved[0].reason, "tag gone is on no image of team/api");
  EXPECT_EQ(missing.unresolved[0].source, "keep-file keep.txt:4");
}

TEST(InUse, UnknownLocationIsMatchedGenerously) {
  // A snapshot that does not say where the repository lives: any host with the same name keeps.
  RepositoryLocation unknown{"nginx", "", "", ""};
  InUseSet set;
  ASSERT_TRUE(set.add("nginx:1.25", "k8s").ok());
  ASSERT_TRUE(set.add("quay.io/nginx:2", "k8s").ok());
  const std::vector<ImageRecord> images = {image('a', {"1.25"}), image('b', {"2"}),
                                           image('c', {"3"})};
  EXPECT_EQ(digests_of(InUseIndex(set).resolve(unknown, images)),
            (std::vector<std::string>{digest('a'), digest('b')}));
  // Known to be ECR: a quay.io reference is some other registry's image.
  Repository ecr;
  ecr.name = "nginx";
  ecr.registry_id = "123456789012";
  EXPECT_EQ(digests_of(InUseIndex(set).resolve(location_of(ecr), images)),
            (std::vector<std::string>{digest('a')}));
}

TEST(InUse, MergeDropsDuplicatesAndKeepsSources) {
  InUseSet a;
  a.sources = {"kubernetes a.json"};
  ASSERT_TRUE(a.add("team/api:v1", "k8s pod x").ok());
  InUseSet b;
  b.sources = {"kubernetes a.json", "ecs eu-west-1"};
  ASSERT_TRUE(b.add("team/api:v1", "k8s pod x").ok());
  ASSERT_TRUE(b.add("team/api:v1", "ecs task y").ok());
  b.problems.push_back({"ecs", "missing task"});
  merge_in_use(a, b);
  EXPECT_EQ(a.entries.size(), 2u);
  EXPECT_EQ(a.sources, (std::vector<std::string>{"kubernetes a.json", "ecs eu-west-1"}));
  EXPECT_EQ(a.problems.size(), 1u);
}

TEST(InUse, AddRejectsNonReferencesWithTheSource) {
  InUseSet set;
  auto status = set.add("Not A Ref", "keep-file k.txt:2");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::invalid_input);
  EXPECT_TRUE(
      status.error().message.starts_with("keep-file k.txt:2: image reference 'Not A Ref': "));
  EXPECT_TRUE(set.entries.empty());
}

}  // namespace
}  // namespace regsweep
