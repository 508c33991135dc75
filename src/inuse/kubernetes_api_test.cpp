// The kubeconfig reader and the paginated API source, with a fake HttpClient.
#include "inuse/kubernetes_api.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

namespace regsweep {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const char* k_kubeconfig = R"(
apiVersion: v1
kind: Config
current-context: prod
clusters:
- name: prod-cluster
  cluster:
    server: https://10.0.0.1:6443/
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t
- name: dev-cluster
  cluster:
    server: https://dev:6443
    certificate-authority: ca/dev.pem
users:
- name: prod-user
  user:
    token: s3cr3t-token
- name: dev-user
  user:
    auth-provider: {name: oidc}
contexts:
- name: prod
  context: {cluster: prod-cluster, user: prod-user}
- name: dev
  context: {cluster: dev-cluster, user: dev-user}
)";

TEST(Kubeconfig, CurrentContextGivesServerCaAndToken) {
  auto access = parse_kubeconfig(k_kubeconfig, "kc", "", "/home/u/.kube");
  ASSERT_TRUE(access.ok()) << access.error().message;
  EXPECT_EQ(access->context, "prod");
  EXPECT_EQ(access->server, "https://10.0.0.1:6443");
  EXPECT_EQ(access->ca_pem, "-----BEGIN CERTIFICATE-----");
  EXPECT_EQ(access->token.reveal(), "s3cr3t-token");
}

TEST(Kubeconfig, UnsupportedCredentialsAndUnknownContextsFailWithoutLeakingTheToken) {
  auto dev = parse_kubeconfig(k_kubeconfig, "kc", "dev", "/home/u/.kube");
  ASSERT_FALSE(dev.ok());
  EXPECT_THAT(dev.error().message,
              HasSubstr("users.dev-user: auth-provider and username/password users are not "
                        "supported"));
  EXPECT_THAT(dev.error().message, HasSubstr("--kubernetes-json"));
  auto missing = parse_kubeconfig(k_kubeconfig, "kc", "nope", "");
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.error().message, HasSubstr("kc: contexts: no context named 'nope'"));
  EXPECT_THAT(missing.error().message, Not(HasSubstr("s3cr3t")));
  std::string insecure = k_kubeconfig;
  insecure.replace(insecure.find("certificate-authority-data"), 26,
                   "insecure-skip-tls-verify: true\n    x");
  auto refused = parse_kubeconfig(insecure, "kc", "", "");
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.error().message, HasSubstr("insecure-skip-tls-verify"));
  EXPECT_FALSE(parse_kubeconfig("[1, 2", "kc", "", "").ok());
  EXPECT_FALSE(parse_kubeconfig("just text", "kc", "", "").ok());
}

std::string exec_kubeconfig(const std::string& exec) {
  return R"(
current-context: eks
clusters:
- name: c
  cluster: {server: "https://k"}
users:
- name: u
  user:
    exec:
)" + exec +
         R"(
contexts:
- name: eks
  context: {cluster: c, user: u}
)";
}

TEST(Kubeconfig, ExecUsersAreReadNotRun) {
  auto access = parse_kubeconfig(exec_kubeconfig(R"(
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
      args: [--region, eu-west-1, eks, get-token, --cluster-name, prod]
      env:
      - {name: AWS_PROFILE, value: prod}
      installHint: install the AWS CLI
      provideClusterInfo: true)"),
                                 "kc", "", "/home/u/.kube");
  ASSERT_TRUE(access.ok()) << access.error().message;
  ASSERT_TRUE(access->exec.has_value());
  EXPECT_TRUE(access->token.empty());
  const auto& exec = *access->exec;
  EXPECT_EQ(exec.where, "kc: users.u.exec");
  EXPECT_EQ(exec.command, "aws");  // a bare name: PATH
  EXPECT_EQ(exec.api_version, "client.authentication.k8s.io/v1beta1");
  EXPECT_EQ(exec.args, (std::vector<std::string>{"--region", "eu-west-1", "eks", "get-token",
                                                 "--cluster-name", "prod"}));
  ASSERT_EQ(exec.env.size(), 1u);
  EXPECT_EQ(exec.env[0], (std::pair<std::string, std::string>{"AWS_PROFILE", "prod"}));
  EXPECT_EQ(exec.install_hint, "install the AWS CLI");
  EXPECT_TRUE(exec.provide_cluster_info);

  // A path with a '/' is relative to the kubeconfig's directory, as in kubectl.
  access = parse_kubeconfig(exec_kubeconfig(R"(
      apiVersion: client.authentication.k8s.io/v1
      interactiveMode: Never
      command: bin/get-token)"),
                            "kc", "", "/home/u/.kube");
  ASSERT_TRUE(access.ok()) << access.error().message;
  EXPECT_EQ(access->exec->command, "/home/u/.kube/bin/get-token");
}

TEST(Kubeconfig, BadExecSectionsAreRefused) {
  struct Case {
    std::string exec;
    std::string message_part;
  };
  const Case cases[] = {
      {"      command: aws", "kc: users.u.exec.apiVersion: missing; use client.authentication"},
      {"      {apiVersion: client.authentication.k8s.io/v1alpha1, command: aws}",
       "apiVersion: 'client.authentication.k8s.io/v1alpha1' unknown"},
      {"      {apiVersion: client.authentication.k8s.io/v1}", "users.u.exec.command: missing"},
      {"      {apiVersion: client.authentication.k8s.io/v1, command: aws, args: x}",
       "exec.args: not a list"},
      {"      {apiVersion: client.authentication.k8s.io/v1, command: aws, env: [{value: v}]}",
       "exec.env: an entry has no valid name"},
      {"      {apiVersion: client.authentication.k8s.io/v1, command: x, interactiveMode: Always}",
       "exec.interactiveMode: Always needs a terminal"},
  };
  for (const auto& c : cases) {
    auto access = parse_kubeconfig(exec_kubeconfig(c.exec), "kc", "", "/d");
    ASSERT_FALSE(access.ok()) << c.exec;
    EXPECT_THAT(access.error().message, HasSubstr(c.message_part));
    EXPECT_EQ(access.error().code, ErrorCode::invalid_input);
  }
}

// Serves each path's pages in order; records the requests.
class FakeApi final : public HttpClient {
 public:
  std::map<std::string, std::vector<std::string>> pages;  // path -> bodies
  std::vector<HttpRequest> requests;
  long status = 200;
  Result<HttpResponse> send(const HttpRequest& request) override {
    requests.push_back(request);
    const std::string url = request.url.substr(std::string("https://k").size());
    const std::string path = url.substr(0, url.find('?'));
    const auto cont = url.find("&continue=");
    const std::size_t index = cont == std::string::npos ? 0 : std::stoul(url.substr(cont + 10));
    HttpResponse response;
    response.status = status;
    auto& list = pages[path];
    response.body = index < list.size() ? list[index] : R"({"kind":"List","items":[]})";
    if (status != 200) response.body = R"({"message":"pods is forbidden"})";
    return response;
  }
};

std::string pod_list(const std::string& image, const std::string& next) {
  return R"({"kind":"PodList","metadata":{"continue":")" + next +
         R"("},"items":[{"kind":"Pod","metadata":{"name":"p","namespace":"n"},"spec":{"containers":[{"name":"c","image":")" +
         image + R"("}]}}]})";
}

TEST(KubernetesApi, ReadsEveryWorkloadListFollowingContinueTokens) {
  auto api = std::make_shared<FakeApi>();
  api->pages["/api/v1/pods"] = {pod_list("repo/a:v1", "1"), pod_list("repo/b:v2", "")};
  api->pages["/apis/batch/v1/cronjobs"] = {
      R"({"kind":"CronJobList","metadata":{},"items":[{"kind":"CronJob","metadata":{"name":"r"},"spec":{"jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"m","image":"repo/c@sha256:)" +
      std::string(64, 'c') + R"("}]}}}}}}]})"};
  KubeAccess access;
  access.context = "prod";
  access.server = "https://k";
  access.token = Secret("tok");
  auto source = make_kubernetes_api_source(access, api, 2);
  auto set = source->collect();
  ASSERT_TRUE(set.ok()) << set.error().message;
  std::vector<std::string> raws;
  for (const auto& e : set->entries) raws.push_back(e.raw);
  EXPECT_EQ(raws, (std::vector<std::string>{"repo/a:v1", "repo/b:v2",
                                            "repo/c@sha256:" + std::string(64, 'c')}));
  EXPECT_EQ(set->sources, std::vector<std::string>{"kubernetes api prod"});
  EXPECT_EQ(api->requests.size(), kubernetes_workload_paths().size() + 1);  // pods had 2 pages
  EXPECT_EQ(api->requests[0].url, "https://k/api/v1/pods?limit=2");
  EXPECT_EQ(api->requests[1].url, "https://k/api/v1/pods?limit=2&continue=1");
  bool bearer = false;
  for (const auto& [name, value] : api->requests[0].headers) bearer |= value == "Bearer tok";
  EXPECT_TRUE(bearer);
}

TEST(KubernetesApi, AnyFailedListFailsTheScan) {
  auto api = std::make_shared<FakeApi>();
  api->status = 403;
  KubeAccess access;
  access.context = "prod";
  access.server = "https://k";
  access.token = Secret("tok-secret");
  auto set = make_kubernetes_api_source(access, api)->collect();
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.error().code, ErrorCode::forbidden);
  EXPECT_THAT(set.error().message, HasSubstr("HTTP 403: pods is forbidden"));
  EXPECT_THAT(set.error().message, Not(HasSubstr("tok-secret")));
  api->status = 200;
  api->pages["/apis/apps/v1/deployments"] = {"not json"};
  auto bad = make_kubernetes_api_source(access, api)->collect();
  EXPECT_FALSE(bad.ok());
}

TEST(KubernetesApi, RunsTheExecPluginAndSendsItsToken) {
  std::string pattern = (std::filesystem::temp_directory_path() / "rs-kube-api-XXXXXX").string();
  ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
  const std::string plugin = pattern + "/plugin";
  std::ofstream(plugin) << "#!/bin/sh\necho '{\"apiVersion\": "
                           "\"client.authentication.k8s.io/v1\", \"kind\": \"ExecCredential\", "
                           "\"status\": {\"token\": \"from-plugin\"}}'\n";
  ::chmod(plugin.c_str(), 0755);
  auto access = parse_kubeconfig(exec_kubeconfig(R"(
      apiVersion: client.authentication.k8s.io/v1
      command: ./plugin)"),
                                 "kc", "", pattern);
  ASSERT_TRUE(access.ok()) << access.error().message;
  auto api = std::make_shared<FakeApi>();
  auto set = make_kubernetes_api_source(*access, api)->collect();
  std::filesystem::remove_all(pattern);
  ASSERT_TRUE(set.ok()) << set.error().message;
  ASSERT_FALSE(api->requests.empty());
  for (const auto& request : api->requests) {
    bool bearer = false;
    for (const auto& [name, value] : request.headers) bearer |= value == "Bearer from-plugin";
    EXPECT_TRUE(bearer) << request.url;
  }

  // A failing plugin fails the scan before any request.
  access->exec->command = pattern + "/gone";
  api->requests.clear();
  set = make_kubernetes_api_source(*access, api)->collect();
  ASSERT_FALSE(set.ok());
  EXPECT_THAT(set.error().message, HasSubstr("command not found"));
  EXPECT_TRUE(api->requests.empty());
}

}  // namespace
}  // namespace regsweep
