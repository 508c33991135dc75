#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <functional>

#include "inuse/source.hpp"

namespace regsweep {
namespace {

using nlohmann::json;

const std::string k_host = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
std::string digest(char c) {
  return "sha256:" + std::string(64, c);
}

// Answers from a handler and records every call (operation and parsed request).
class FakeEcs final : public AwsJsonClient {
 public:
  std::function<Result<std::string>(const std::string&, const json&)> handler;
  std::vector<std::pair<std::string, json>> calls;

  Result<std::string> call(std::string_view operation, const std::string& request_json) override {
    const json request = json::parse(request_json);
    calls.emplace_back(std::string(operation), request);
    return handler(std::string(operation), request);
  }

  std::vector<json> requests(const std::string& operation) const {
    std::vector<json> out;
    for (const auto& [op, request] : calls) {
      if (op == operation) out.push_back(request);
    }
    return out;
  }
};

std::string arn_td(const std::string& family, int revision) {
  return "arn:aws:ecs:eu-west-1:123456789012:task-definition/" + family + ":" +
         std::to_string(revision);
}

// One cluster; two pages of running tasks; one stopped task; 12 services (two DescribeServices
// batches); a family "api" with 8 revisions over two pages plus "api-worker" answered under the
// same prefix, which must not count as "api".
Result<std::string> scripted(const std::string& op, const json& r) {
  const std::string token = r.value("nextToken", "");
  if (op == "ListClusters") return json{{"clusterArns", {"arn:c/prod"}}}.dump();
  if (op == "ListTasks") {
    if (r.at("desiredStatus") == "STOPPED") return json{{"taskArns", {"t-stopped"}}}.dump();
    if (token.empty()) return json{{"taskArns", {"t1"}}, {"nextToken", "p2"}}.dump();
    return json{{"taskArns", {"t2"}}}.dump();
  }
  if (op == "DescribeTasks") {
    json tasks = json::array();
    for (const auto& arn : r.at("tasks")) {
      const std::string a = arn.get<std::string>();
      if (a == "t1") {
        tasks.push_back({{"taskArn", a},
                         {"containers",
                          {{{"name", "web"},
                            {"image", k_host + "/team/api:v1"},
                            {"imageDigest", digest('1')}}}}});
      } else if (a == "t2") {
        tasks.push_back({{"taskArn", a},
                         {"containers", {{{"name", "web"}, {"image", k_host + "/team/api:v2"}}}}});
      } else {
        tasks.push_back({{"taskArn", a},
                         {"containers",
                          {{{"name", "job"},
                            {"image", k_host + "/team/job@" + digest('5')},
                            {"imageDigest", digest('5')}}}}});
      }
    }
    return json{{"tasks", tasks}, {"failures", json::array()}}.dump();
  }
  if (op == "ListServices") {
    json arns = json::array();
    for (int i = 0; i < 12; ++i) arns.push_back("svc-" + std::to_string(i));
    return json{{"serviceArns", arns}}.dump();
  }
  if (op == "DescribeServices") {
    json services = json::array();
    for (const auto& s : r.at("services")) {
      const std::string name = s.get<std::string>();
      json deployments = json::array();
      if (name == "svc-11") {
        deployments.push_back({{"status", "PRIMARY"}, {"taskDefinition", arn_td("svc", 20)}});
        deployments.push_back({{"status", "ACTIVE"}, {"taskDefinition", arn_td("svc", 19)}});
        deployments.push_back({{"status", "INACTIVE"}, {"taskDefinition", arn_td("svc", 18)}});
      }
      services.push_back({{"serviceArn", name}, {"deployments", deployments}});
    }
    return json{{"services", services}}.dump();
  }
  if (op == "ListTaskDefinitionFamilies") return json{{"families", {"api"}}}.dump();
  if (op == "ListTaskDefinitions") {
    if (token.empty()) {
      return json{{"taskDefinitionArns",
                   {arn_td("api-worker", 3), arn_td("api", 8), arn_td("api", 7), arn_td("api", 6)}},
                  {"nextToken", "n2"}}
          .dump();
    }
    if (token == "n2") {
      return json{{"taskDefinitionArns", {arn_td("api", 5), arn_td("api", 4), arn_td("api", 3)}},
                  {"nextToken", "n3"}}
          .dump();
    }
    // An answer out of order (as moto gives, ignoring sort DESC): revision 9 is the newest.
    return json{{"taskDefinitionArns", {arn_td("api", 9)}}}.dump();
  }
  if (op == "DescribeTaskDefinition") {
    const std::string arn = r.at("taskDefinition");
    const std::string rev = arn.substr(arn.rfind(':') + 1);
    return json{
        {"taskDefinition",
         {{"taskDefinitionArn", arn},
          {"containerDefinitions", {{{"name", "c"}, {"image", k_host + "/team/api:rev" + rev}}}}}}}
        .dump();
  }
  return make_error(ErrorCode::invalid_input, "unexpected " + op);
}

TEST(EcsSource, CollectsTasksServicesAndRecentRevisions) {
  auto fake = std::make_shared<FakeEcs>();
  fake->handler = scripted;
  auto source = make_ecs_source(fake, EcsScanOptions{"eu-west-1", 4});
  auto set = source->collect();
  ASSERT_TRUE(set.ok()) << set.error().message;
  std::vector<std::string> raws;
  for (const auto& e : set->entries) raws.push_back(e.raw);
  auto has = [&](const std::string& raw) {
    return std::find(raws.begin(), raws.end(), raw) != raws.end();
  };
  EXPECT_TRUE(has(k_host + "/team/api:v1"));
  EXPECT_TRUE(has(k_host + "/team/api@" + digest('1')));  // the digest the task pulled
  EXPECT_TRUE(has(k_host + "/team/api:v2"));              // second page of ListTasks
  EXPECT_TRUE(has(k_host + "/team/job@" + digest('5')));  // stopped task
  EXPECT_TRUE(has(k_host + "/team/api:rev20"));           // service PRIMARY
  EXPECT_TRUE(has(k_host + "/team/api:rev19"));           // service ACTIVE
  EXPECT_FALSE(has(k_host + "/team/api:rev18"));          // INACTIVE deployment
  for (const char* rev : {"rev9", "rev8", "rev7", "rev6"})
    EXPECT_TRUE(has(k_host + "/team/api:" + rev)) << rev;
  EXPECT_FALSE(has(k_host + "/team/api:rev5"));  // beyond the newest 4
  EXPECT_FALSE(has(k_host + "/team/api:rev4"));
  EXPECT_FALSE(has(k_host + "/team/api:rev3"));  // api-worker:3 and api:3 are not among them
  EXPECT_EQ(set->sources, std::vector<std::string>{"ecs eu-west-1"});

  // The requests: both task states, paginated; batches of 10 services; DESC ACTIVE revisions,
  // all pages; each task definition described once.
  const auto list_tasks = fake->requests("ListTasks");
  ASSERT_EQ(list_tasks.size(), 3u);
  EXPECT_EQ(list_tasks[1].at("nextToken"), "p2");
  EXPECT_EQ(list_tasks[2].at("desiredStatus"), "STOPPED");
  const auto describe_services = fake->requests("DescribeServices");
  ASSERT_EQ(describe_services.size(), 2u);
  EXPECT_EQ(describe_services[0].at("services").size(), 10u);
  EXPECT_EQ(describe_services[1].at("services").size(), 2u);
  const auto list_defs = fake->requests("ListTaskDefinitions");
  ASSERT_EQ(list_defs.size(), 3u);
  EXPECT_EQ(list_defs[2].at("nextToken"), "n3");
  EXPECT_EQ(list_defs[0], (json{{"familyPrefix", "api"}, {"status", "ACTIVE"}, {"sort", "DESC"}}));
  EXPECT_EQ(fake->requests("DescribeTaskDefinition").size(), 6u);  // svc:20, svc:19, api:9..6
}

TEST(EcsSource, AnyFailedCallFailsTheScan) {
  for (const char* failing :
       {"ListClusters", "ListTasks", "DescribeTasks", "ListServices", "DescribeServices",
        "ListTaskDefinitionFamilies", "ListTaskDefinitions", "DescribeTaskDefinition"}) {
    auto fake = std::make_shared<FakeEcs>();
    fake->handler = [failing](const std::string& op, const json& r) -> Result<std::string> {
      if (op == failing)
        return make_error(ErrorCode::forbidden, "AccessDeniedException: not allowed");
      return scripted(op, r);
    };
    auto set = make_ecs_source(fake, EcsScanOptions{"eu-west-1", 5})->collect();
    ASSERT_FALSE(set.ok()) << failing;
    EXPECT_EQ(set.error().code, ErrorCode::forbidden);
    EXPECT_NE(set.error().message.find(std::string("ecs eu-west-1: ") + failing +
                                       ": AccessDeniedException"),
              std::string::npos)
        << set.error().message;
  }
}

TEST(EcsSource, GarbageAnswersAndLoopingTokensFail) {
  auto fake = std::make_shared<FakeEcs>();
  fake->handler = [](const std::string& op, const json&) -> Result<std::string> {
    if (op == "ListClusters") return std::string("<html>");
    return std::string("{}");
  };
  auto set = make_ecs_source(fake, {})->collect();
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.error().code, ErrorCode::transient);
  fake->handler = [](const std::string&, const json&) -> Result<std::string> {
    return json{{"clusterArns", json::array()}, {"nextToken", "same"}}.dump();
  };
  set = make_ecs_source(fake, {})->collect();
  ASSERT_FALSE(set.ok());
  EXPECT_NE(set.error().message.find("same nextToken twice"), std::string::npos);
}

}  // namespace
}  // namespace regsweep
