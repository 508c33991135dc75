#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "inuse/source.hpp"

namespace regsweep {
namespace {

const std::string k_host = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
std::string digest(char c) {
  return "sha256:" + std::string(64, c);
}

std::string example() {
  std::ifstream in(std::string(REGSWEEP_SOURCE_DIR) + "/examples/kubernetes/workloads.json");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

ImageRecord image(char c, std::vector<std::string> tags) {
  ImageRecord record;
  record.digest = digest(c);
  record.tags = std::move(tags);
  return record;
}

RepositoryInUse resolve(const InUseSet& set, const std::string& name,
                        const std::vector<ImageRecord>& images) {
  return InUseIndex(set).resolve(RepositoryLocation{name, k_host, "123456789012", "eu-west-1"},
                                 images);
}

TEST(KubernetesJson, FindsEveryContainerOfEveryWorkload) {
  auto set = parse_kubernetes_json(example(), "workloads.json");
  ASSERT_TRUE(set.ok()) << set.error().message;
  EXPECT_EQ(set->sources, std::vector<std::string>{"kubernetes workloads.json"});
  std::vector<std::string> lines;
  for (const auto& e : set->entries) lines.push_back(e.source + " = " + e.raw);
  const std::string p = "kubernetes workloads.json: ";
  const std::vector<std::string> expected = {
      p + "Pod prod/api-7d9f-abcde container web = " + k_host + "/team/api:v1",
      p + "Pod prod/api-7d9f-abcde container sidecar = envoyproxy/envoy:v1.29.1",
      p + "Pod prod/api-7d9f-abcde initContainer migrate = " + k_host + "/team/migrate:2024-05-01",
      p + "Pod prod/api-7d9f-abcde ephemeralContainer debugger = busybox:1.36",
      p + "Pod prod/api-7d9f-abcde containerStatuses web imageID = docker-pullable://" + k_host +
          "/team/api@" + digest('1'),
      // A bare imageID is pinned to the repository of the status' image.
      p +
          "Pod prod/api-7d9f-abcde containerStatuses sidecar imageID = "
          "docker.io/envoyproxy/envoy@" +
          digest('f'),
      p + "Pod prod/api-7d9f-abcde initContainerStatuses migrate imageID = " + k_host +
          "/team/migrate@" + digest('e'),
      p + "Deployment prod/api template container web = " + k_host + "/team/api:v1",
      p + "ReplicaSet prod/api-6c8b template container web = " + k_host + "/team/api:v0.9",
      p + "StatefulSet data/queue template container queue = " + k_host + "/team/queue@" +
          digest('3'),
      p + "DaemonSet kube-system/agent template container agent = " + k_host + "/ops/agent:stable",
      p + "Job batch/backfill-28551 template container main = " + k_host + "/team/backfill:v3",
      p + "Job batch/backfill-28551 template initContainer wait = busybox:1.36",
      p + "CronJob batch/nightly-report jobTemplate container report = " + k_host +
          "/team/report@" + digest('2'),
  };
  EXPECT_EQ(lines, expected);
  EXPECT_TRUE(set->problems.empty());
}

// The pod was started from team/api:v1 when v1 was digest 1; v1 has since moved to digest 9. The
// running digest (from imageID) and the tag's current digest are both kept; nothing else is.
TEST(KubernetesJson, PodWhoseTagHasMovedKeepsTheRunningDigest) {
  auto set = parse_kubernetes_json(example(), "workloads.json");
  ASSERT_TRUE(set.ok());
  const std::vector<ImageRecord> images = {image('1', {}), image('9', {"v1"}), image('8', {"v0.9"}),
                                           image('7', {})};
  const auto in_use = resolve(*set, "team/api", images);
  std::vector<std::string> kept;
  for (const auto& [d, _] : in_use.in_use) kept.push_back(d);
  EXPECT_EQ(kept, (std::vector<std::string>{digest('1'), digest('8'), digest('9')}));
  EXPECT_TRUE(in_use.unresolved.empty());
}

TEST(KubernetesJson, CronJobPinsAnOldUntaggedDigest) {
  auto set = parse_kubernetes_json(example(), "workloads.json");
  ASSERT_TRUE(set.ok());
  const std::vector<ImageRecord> images = {image('2', {}), image('6', {"latest"})};
  const auto in_use = resolve(*set, "team/report", images);
  ASSERT_EQ(in_use.in_use.size(), 1u);
  EXPECT_TRUE(in_use.contains(digest('2')));
  EXPECT_EQ(in_use.in_use.at(digest('2')).reasons.at(0),
            "in use: kubernetes workloads.json: CronJob batch/nightly-report jobTemplate container "
            "report: " +
                k_host + "/team/report@" + digest('2'));
}

TEST(KubernetesJson, InitContainerIsInUse) {
  auto set = parse_kubernetes_json(example(), "workloads.json");
  ASSERT_TRUE(set.ok());
  const std::vector<ImageRecord> images = {image('e', {"2024-05-01"}), image('5', {"2024-04-01"})};
  const auto in_use = resolve(*set, "team/migrate", images);
  EXPECT_EQ(in_use.in_use.size(), 1u);
  EXPECT_TRUE(in_use.contains(digest('e')));
}

TEST(KubernetesJson, SingleObjectsNestedListsAndOddImages) {
  const std::string text = R"({"kind":"PodList","items":[
    {"kind":"List","items":[{"kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[
      {"name":"a","image":"app:1"},{"name":"b","image":"${NOT_SUBSTITUTED}"},{"name":"c"}]}}]}]})";
  auto set = parse_kubernetes_json(text, "x.json");
  ASSERT_TRUE(set.ok()) << set.error().message;
  ASSERT_EQ(set->entries.size(), 1u);
  EXPECT_EQ(set->entries[0].raw, "app:1");
  EXPECT_EQ(set->entries[0].source, "kubernetes x.json: Pod p container a");
  ASSERT_EQ(set->problems.size(), 1u);
  EXPECT_EQ(set->problems[0].source, "kubernetes x.json: Pod p container b");
  auto single =
      parse_kubernetes_json(R"({"kind":"Deployment","metadata":{"name":"d","namespace":"n"},
    "spec":{"template":{"spec":{"containers":[{"name":"w","image":"w:2"}]}}}})",
                            "d.json");
  ASSERT_TRUE(single.ok());
  ASSERT_EQ(single->entries.size(), 1u);
  EXPECT_EQ(single->entries[0].source, "kubernetes d.json: Deployment n/d template container w");
}

TEST(KubernetesJson, UnexpectedShapesFailClosed) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{", "x.json: not JSON"},
      {"[1]", "x.json: an item is array, not an object"},
      {R"({"kind":"List","items":{}})", "x.json: items of a List is not an array"},
      {R"({"kind":"Pod","spec":{"containers":{}}})", "x.json: Pod ?: containers is not an array"},
      {R"({"kind":"Pod","spec":{"containers":[{"image":5}]}})",
       "x.json: Pod ?: containers[].image is not a string"},
      {R"({"kind":"Pod","spec":{},"status":{"containerStatuses":[1]}})",
       "x.json: Pod ?: an entry of status.containerStatuses is not an object"},
  };
  for (const auto& [text, message] : cases) {
    SCOPED_TRACE(text);
    auto set = parse_kubernetes_json(text, "x.json");
    ASSERT_FALSE(set.ok());
    EXPECT_EQ(set.error().code, ErrorCode::invalid_input);
    EXPECT_TRUE(set.error().message.starts_with(message)) << set.error().message;
  }
}

TEST(KubernetesJson, DeeplyNestedListsAreRefused) {
  std::string text;
  for (int i = 0; i < 20; ++i) text += R"({"kind":"List","items":[)";
  text += "{}";
  for (int i = 0; i < 20; ++i) text += "]}";
  auto set = parse_kubernetes_json(text, "deep.json");
  ASSERT_FALSE(set.ok());
  EXPECT_NE(set.error().message.find("nested deeper than 8"), std::string::npos);
}

}  // namespace
}  // namespace regsweep
