// The whole client stack (curl client, SigV4 signer, JSON 1.1 client with retries) against
// independent servers: moto_server (an ECR API implementation: create, list, errors) and a
// botocore-based verifier that recomputes every signature (testdata/sigv4_verify_server.py).
// Skipped when moto_server / python3 with botocore are missing.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <thread>

#include "aws/json_rpc.hpp"
#include "aws/sigv4.hpp"
#include "support/child_process.hpp"

namespace regsweep {
namespace {

using testing::ChildProcess;

AwsCredentials test_credentials(std::string token) {
  AwsCredentials creds;
  creds.access_key_id = "AKIDTEST";
  creds.secret_access_key = Secret("test/secret+key");
  creds.session_token = Secret(std::move(token));
  return creds;
}

TEST(MotoServer, CreateAndDescribeRepositoriesOverTheRealStack) {
  if (!testing::program_on_path("moto_server")) GTEST_SKIP() << "moto_server not on PATH";
  const std::string url = "http://127.0.0.1:" + std::to_string(testing::free_tcp_port());
  ChildProcess moto({"moto_server", "-H", "127.0.0.1", "-p", url.substr(url.rfind(':') + 1)},
                    false);
  ASSERT_TRUE(moto.started());
  std::shared_ptr<HttpClient> http = make_curl_client({});
  auto client = make_aws_json_client(
      {"ecr", "us-east-1", url, "AmazonEC2ContainerRegistry_V20150921"},
      make_static_credentials_provider(test_credentials("tok")), http, RetryOptions{});
  bool ready = false;  // moto takes a second or two to import
  for (int i = 0; i < 150 && !ready; ++i) {
    ready = http->send({"GET", url + "/moto-api/", {}, ""}).ok();
    if (!ready) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(ready) << "moto_server did not start";

  auto created = client->call("CreateRepository", R"({"repositoryName":"team/app"})");
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(nlohmann::json::parse(*created)["repository"]["repositoryName"], "team/app");

  auto again = client->call("CreateRepository", R"({"repositoryName":"team/app"})");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().service_code, "RepositoryAlreadyExistsException");
  EXPECT_EQ(again.error().code, ErrorCode::conflict);

  auto listed = client->call("DescribeRepositories", "{}");
  ASSERT_TRUE(listed.ok()) << listed.error().message;
  const auto repos = nlohmann::json::parse(*listed)["repositories"];
  ASSERT_EQ(repos.size(), 1u);
  EXPECT_EQ(repos[0]["repositoryName"], "team/app");

  auto missing = client->call("DescribeImages", R"({"repositoryName":"nope"})");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
  EXPECT_EQ(missing.error().service_code, "RepositoryNotFoundException");
}

class BotocoreVerifier : public ::testing::Test {
 protected:
  void start(const std::string& token) {
    if (std::system("python3 -c 'import botocore' >/dev/null 2>&1") != 0)
      GTEST_SKIP() << "python3 with botocore not available";
    std::vector<std::string> argv = {"python3",
                                     REGSWEEP_SOURCE_DIR "/src/aws/testdata/sigv4_verify_server.py",
                                     "AKIDTEST", "test/secret+key"};
    if (!token.empty()) argv.push_back(token);
    m_server = std::make_unique<ChildProcess>(argv, true);
    const std::string port = m_server->read_line(15000);
    ASSERT_FALSE(port.empty()) << "verifier did not start";
    m_url = "http://127.0.0.1:" + port;
  }
  std::unique_ptr<ChildProcess> m_server;
  std::string m_url;
};

TEST_F(BotocoreVerifier, JsonClientSignaturesMatchBotocore) {
  start("session/token+value=");
  if (IsSkipped()) return;
  auto client = make_aws_json_client(
      {"ecr", "eu-west-1", m_url, "AmazonEC2ContainerRegistry_V20150921"},
      make_static_credentials_provider(test_credentials("session/token+value=")),
      make_curl_client({}), RetryOptions{});
  for (const std::string& body :
       {std::string("{}"),
        std::string(R"({"repositoryName":"team/app","filter":{"tagStatus":"ANY"}})"),
        std::string(R"({"imageManifest":")") + std::string(1'500'000, 'x') + "\"}"}) {
    auto answer = client->call("DescribeImages", body);
    ASSERT_TRUE(answer.ok()) << answer.error().message;
    EXPECT_EQ(nlohmann::json::parse(*answer)["bodyBytes"], body.size());
  }
}

TEST_F(BotocoreVerifier, StsStyleFormRequestsAndPathsMatchBotocore) {
  start("");
  if (IsSkipped()) return;
  auto http = make_curl_client({});
  const auto creds = test_credentials("");
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  for (const char* path : {"/", "/some/path", "/?Action=Get&b=2&a=1"}) {
    HttpRequest request{
        "POST",
        m_url + std::string(path),
        {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}},
        "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fx"};
    ASSERT_TRUE(sign_request(request, creds, {"us-east-1", "sts"}, now).ok());
    auto response = http->send(request);
    ASSERT_TRUE(response.ok()) << response.error().message;
    EXPECT_EQ(response->status, 200) << path << ": " << response->body;
  }
  // The verifier does reject: a wrong secret, or a body changed after signing.
  AwsCredentials wrong = test_credentials("");
  wrong.secret_access_key = Secret("not-the-secret");
  HttpRequest bad{"POST", m_url + "/", {}, "Action=x"};
  ASSERT_TRUE(sign_request(bad, wrong, {"us-east-1", "sts"}, now).ok());
  EXPECT_EQ(http->send(bad)->status, 400);
  HttpRequest changed{"POST", m_url + "/", {}, "Action=x"};
  ASSERT_TRUE(sign_request(changed, creds, {"us-east-1", "sts"}, now).ok());
  changed.body = "Action=y";
  EXPECT_EQ(http->send(changed)->status, 400);
}

}  // namespace
}  // namespace regsweep
