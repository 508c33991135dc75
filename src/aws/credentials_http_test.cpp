// Credential sources that talk HTTP, exercised with the real curl client against local servers on
// 127.0.0.1: STS AssumeRole (source_profile, credential_source, --role-arn), web identity (env and
// profile), container credentials (ECS relative URI is fixed to 169.254.170.2, so the EKS-style
// full URI with a token file is used), IMDSv2, and refresh of expiring credentials.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "aws/credentials.hpp"
#include "aws/session.hpp"
#include "aws/sigv4.hpp"
#include "support/local_http_server.hpp"

namespace regsweep {
namespace {

using testing::LocalHttpServer;
using testing::LocalRequest;
using testing::LocalResponse;

EpochMillis g_now = 0;

// The chain's clock: wall time is g_now (the fake STS dates its answers by it too); no sleeping.
class TestClock final : public Clock {
 public:
  EpochMillis now() override { return g_now; }
  std::chrono::steady_clock::time_point steady() override {
    return std::chrono::steady_clock::time_point(std::chrono::milliseconds(g_now));
  }
  void sleep_for(std::chrono::steady_clock::duration) override {}
  double random() override { return 0.5; }
};

std::string form_value(const std::string& body, const std::string& key) {
  const std::string needle = key + "=";
  std::size_t pos = 0;
  while ((pos = body.find(needle, pos)) != std::string::npos) {
    if (pos == 0 || body[pos - 1] == '&') {
      const auto end = body.find('&', pos);
      return url_decode(body.substr(pos + needle.size(), end - pos - needle.size()));
    }
    ++pos;
  }
  return {};
}

// A fake STS: answers AssumeRole / AssumeRoleWithWebIdentity with numbered credentials that
// expire an hour after the test clock.
LocalResponse sts_answer(const LocalRequest& r, int serial) {
  const std::string action = form_value(r.body, "Action");
  const std::string result = action + "Result";
  LocalResponse out;
  out.headers = {{"Content-Type", "text/xml"}};
  if (form_value(r.body, "RoleArn").find("denied") != std::string::npos) {
    out.status = 403;
    out.body =
        "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not allowed"
        "</Message></Error><RequestId>rid-1</RequestId></ErrorResponse>";
    return out;
  }
  out.body = "<" + action + "Response><" + result + "><Credentials><AccessKeyId>ASIASTS" +
             std::to_string(serial) + "</AccessKeyId><SecretAccessKey>stssecret" +
             std::to_string(serial) + "</SecretAccessKey><SessionToken>ststoken&amp;" +
             std::to_string(serial) + "</SessionToken><Expiration>" +
             format_iso8601(g_now + 3'600'000) + "</Expiration></Credentials></" + result + "></" +
             action + "Response>";
  return out;
}

class HttpChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/regsweep-http-creds-XXXXXX";
    m_dir = ::mkdtemp(pattern);
    g_now = *parse_timestamp("2025-01-15T12:00:00Z");
    env.home = m_dir;
    env.clock = &clock;
    env.variables["AWS_EC2_METADATA_DISABLED"] = "true";
    env.variables["AWS_REGION"] = "eu-west-1";
    sts = std::make_unique<LocalHttpServer>(
        [this](const LocalRequest& r) { return sts_answer(r, ++sts_calls); });
    env.variables["AWS_ENDPOINT_URL_STS"] = sts->url();
  }
  void TearDown() override { std::filesystem::remove_all(m_dir); }

  std::string write(const std::string& name, const std::string& text) {
    const std::string path = m_dir + "/" + name;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path) << text;
    return path;
  }

  Result<std::shared_ptr<CredentialsProvider>> chain(CredentialOptions options = {}) {
    return make_default_credentials_chain(options, env, make_curl_client({}));
  }

  std::string m_dir;
  TestClock clock;
  AwsEnvironment env;
  std::atomic<int> sts_calls{0};
  std::unique_ptr<LocalHttpServer> sts;
};

TEST_F(HttpChainTest, AssumeRoleFromSourceProfileIsSignedWithTheSourceKeys) {
  write(".aws/config",
        "[profile app]\nrole_arn = arn:aws:iam::123456789012:role/app\nsource_profile = base\n"
        "role_session_name = my-session\nexternal_id = ext-1\n");
  write(".aws/credentials",
        "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = basesecret\n");
  CredentialOptions options;
  options.profile = "app";
  auto provider = chain(options);
  ASSERT_TRUE(provider.ok()) << provider.error().message;
  auto creds = (*provider)->credentials();
  ASSERT_TRUE(creds.ok());
  EXPECT_EQ(creds->access_key_id, "ASIASTS1");
  EXPECT_EQ(creds->secret_access_key.reveal(), "stssecret1");
  EXPECT_EQ(creds->session_token.reveal(), "ststoken&1");
  auto requests = sts->requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& r = requests[0];
  EXPECT_EQ(form_value(r.body, "Action"), "AssumeRole");
  EXPECT_EQ(form_value(r.body, "Version"), "2011-06-15");
  EXPECT_EQ(form_value(r.body, "RoleArn"), "arn:aws:iam::123456789012:role/app");
  EXPECT_EQ(form_value(r.body, "RoleSessionName"), "my-session");
  EXPECT_EQ(form_value(r.body, "ExternalId"), "ext-1");
  EXPECT_TRUE(
      r.header("authorization")
          .starts_with("AWS4-HMAC-SHA256 Credential=AKIDBASE/20250115/eu-west-1/sts/aws4_request"))
      << r.header("authorization");
  // Recompute the signature from what the server received: the signer and the wire agree.
  HttpRequest replay{"POST", sts->url() + "/", {}, r.body};
  for (const char* h : {"content-type"}) replay.headers.emplace_back(h, r.header(h));
  AwsCredentials base;
  base.access_key_id = "AKIDBASE";
  base.secret_access_key = Secret("basesecret");
  auto trace = sign_request(replay, base, {"eu-west-1", "sts"}, g_now);
  ASSERT_TRUE(trace.ok());
  EXPECT_EQ(r.header("authorization"), trace->authorization);
}

TEST_F(HttpChainTest, ExpiringCredentialsAreCachedThenRefreshed) {
  write(".aws/config",
        "[profile app]\nrole_arn = arn:aws:iam::123456789012:role/app\ncredential_source = "
        "Environment\n");
  env.variables["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  env.variables["AWS_SECRET_ACCESS_KEY"] = "envsecret";
  CredentialOptions options;
  options.profile = "app";
  auto provider = chain(options);
  ASSERT_TRUE(provider.ok()) << provider.error().message;
  EXPECT_EQ((*provider)->credentials()->access_key_id, "ASIASTS1");
  g_now += 40 * 60'000;  // 20 minutes left: still cached
  EXPECT_EQ((*provider)->credentials()->access_key_id, "ASIASTS1");
  EXPECT_EQ(sts_calls.load(), 1);
  g_now += 10 * 60'000;  // 10 minutes left: refreshed
  EXPECT_EQ((*provider)->credentials()->access_key_id, "ASIASTS2");
  EXPECT_EQ(sts_calls.load(), 2);
  g_now += 5 * 60'000;
  EXPECT_EQ((*provider)->credentials()->access_key_id, "ASIASTS2");
  (*provider)->invalidate();  // what the JSON client does on ExpiredTokenException
  EXPECT_EQ((*provider)->credentials()->access_key_id, "ASIASTS3");
}

TEST_F(HttpChainTest, RoleArnFlagAssumesOnTopOfTheChain) {
  env.variables["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  env.variables["AWS_SECRET_ACCESS_KEY"] = "envsecret";
  CredentialOptions options;
  options.role_arn = "arn:aws:iam::210987654321:role/cleanup";
  auto provider = chain(options);
  ASSERT_TRUE(provider.ok()) << provider.error().message;
  auto creds = (*provider)->credentials();
  ASSERT_TRUE(creds.ok());
  EXPECT_EQ(creds->access_key_id, "ASIASTS1");
  EXPECT_NE(creds->source.find("via environment"), std::string::npos) << creds->source;
  auto requests = sts->requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(form_value(requests[0].body, "RoleSessionName"), "regsweep");
  EXPECT_NE(requests[0].header("authorization").find("Credential=AKIDENV/"), std::string::npos);
}

TEST_F(HttpChainTest, ExternalIdGoesWithTheRoleArnFlagOnly) {
  env.variables["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  env.variables["AWS_SECRET_ACCESS_KEY"] = "envsecret";
  CredentialOptions options;
  options.role_arn = "arn:aws:iam::210987654321:role/vendor";
  options.external_id = "org+cleanup/1";
  auto provider = chain(options);
  ASSERT_TRUE(provider.ok()) << provider.error().message;
  options.external_id.clear();
  ASSERT_TRUE(chain(options).ok());
  auto requests = sts->requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(form_value(requests[0].body, "ExternalId"), "org+cleanup/1");
  EXPECT_EQ(requests[1].body.find("ExternalId"), std::string::npos) << requests[1].body;
}

TEST_F(HttpChainTest, StsErrorsAreClassifiedWithoutSecrets) {
  env.variables["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  env.variables["AWS_SECRET_ACCESS_KEY"] = "TOPSECRET-envsecret";
  CredentialOptions options;
  options.role_arn = "arn:aws:iam::210987654321:role/denied";
  auto provider = chain(options);
  ASSERT_FALSE(provider.ok());
  EXPECT_EQ(provider.error().code, ErrorCode::forbidden);
  EXPECT_EQ(provider.error().service_code, "AccessDenied");
  EXPECT_NE(provider.error().message.find("not allowed"), std::string::npos);
  EXPECT_EQ(provider.error().message.find("TOPSECRET"), std::string::npos);
}

TEST_F(HttpChainTest, WebIdentityFromEnvironmentIsUnsignedAndRereadsTheToken) {
  const auto token = write("token", "eyJ-first-token\n");
  env.variables["AWS_WEB_IDENTITY_TOKEN_FILE"] = token;
  env.variables["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/irsa";
  env.variables["AWS_ROLE_SESSION_NAME"] = "pod-1";
  auto provider = chain();
  ASSERT_TRUE(provider.ok()) << provider.error().message;
  EXPECT_EQ((*provider)->credentials()->access_key_id, "ASIASTS1");
  write("token", "eyJ-rotated-token\n");
  g_now += 55 * 60'000;
  EXPECT_EQ((*provider)->credentials()->access_key_id, "ASIASTS2");
  auto requests = sts->requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].header("authorization"), "");
  EXPECT_EQ(form_value(requests[0].body, "Action"), "AssumeRoleWithWebIdentity");
  EXPECT_EQ(form_value(requests[0].body, "WebIdentityToken"), "eyJ-first-token");
  EXPECT_EQ(form_value(requests[0].body, "RoleSessionName"), "pod-1");
  EXPECT_EQ(form_value(requests[1].body, "WebIdentityToken"), "eyJ-rotated-token");
}

TEST_F(HttpChainTest, WebIdentityFromProfile) {
  const auto token = write("token", "eyJ-profile");
  write(".aws/config",
        "[profile w]\nrole_arn = arn:aws:iam::1:role/w\nweb_identity_token_file = " + token + "\n");
  CredentialOptions options;
  options.profile = "w";
  auto provider = chain(options);
  ASSERT_TRUE(provider.ok()) << provider.error().message;
  EXPECT_EQ((*provider)->credentials()->access_key_id, "ASIASTS1");
  EXPECT_EQ(form_value(sts->requests()[0].body, "WebIdentityToken"), "eyJ-profile");
}

TEST_F(HttpChainTest, ContainerCredentialsWithTokenFile) {
  int calls = 0;
  LocalHttpServer agent([&](const LocalRequest& r) {
    LocalResponse out;
    if (r.header("authorization") != "pod-token-" + std::to_string(calls + 1)) {
      out.status = 401;
      return out;
    }
    ++calls;
    out.body = R"({"AccessKeyId":"ASIACONT)" + std::to_string(calls) +
               R"(","SecretAccessKey":"contsecret","Token":"conttoken","Expiration":")" +
               format_iso8601(g_now + 3'600'000) + R"("})";
    return out;
  });
  const auto token = write("eks-token", "pod-token-1\n");
  env.variables["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = agent.url() + "/v1/credentials";
  env.variables["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = token;
  auto provider = chain();
  ASSERT_TRUE(provider.ok()) << provider.error().message;
  auto creds = (*provider)->credentials();
  EXPECT_EQ(creds->access_key_id, "ASIACONT1");
  EXPECT_EQ(creds->session_token.reveal(), "conttoken");
  write("eks-token", "pod-token-2\n");  // rotated by the kubelet: re-read on refresh
  g_now += 50 * 60'000;
  EXPECT_EQ((*provider)->credentials()->access_key_id, "ASIACONT2");
  EXPECT_EQ(agent.requests()[0].header("accept"), "application/json");
}

TEST_F(HttpChainTest, ContainerFullUriMustBeLoopbackOrHttps) {
  env.variables["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://203.0.113.9/creds";
  auto provider = chain();
  ASSERT_FALSE(provider.ok());
  EXPECT_EQ(provider.error().code, ErrorCode::invalid_input);
  EXPECT_NE(provider.error().message.find("loopback"), std::string::npos);
}

LocalResponse imds(const LocalRequest& r) {
  LocalResponse out;
  if (r.method == "PUT" && r.target == "/latest/api/token") {
    if (r.header("x-aws-ec2-metadata-token-ttl-seconds").empty()) out.status = 400;
    out.body = "imds-session-token";
    return out;
  }
  if (r.header("x-aws-ec2-metadata-token") != "imds-session-token") {
    out.status = 401;
    return out;
  }
  if (r.target == "/latest/meta-data/iam/security-credentials/") {
    out.body = "ec2-role\n";
  } else if (r.target == "/latest/meta-data/iam/security-credentials/ec2-role") {
    out.body =
        R"({"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"ASIAIMDS","SecretAccessKey":"imdssecret","Token":"imdstoken","Expiration":")" +
        format_iso8601(g_now + 6 * 3'600'000) + R"("})";
  } else {
    out.status = 404;
  }
  return out;
}

TEST_F(HttpChainTest, ImdsV2) {
  LocalHttpServer server(imds);
  env.variables.erase("AWS_EC2_METADATA_DISABLED");
  env.variables["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = server.url() + "/";
  auto provider = chain();
  ASSERT_TRUE(provider.ok()) << provider.error().message;
  auto creds = (*provider)->credentials();
  EXPECT_EQ(creds->access_key_id, "ASIAIMDS");
  EXPECT_EQ(creds->source, "EC2 instance metadata (role ec2-role)");
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);  // token, role, credentials: the probe's answer is reused
  EXPECT_EQ(requests[0].method, "PUT");
}

TEST_F(HttpChainTest, ImdsAsCredentialSourceForAssumeRole) {
  LocalHttpServer server(imds);
  env.variables.erase("AWS_EC2_METADATA_DISABLED");
  env.variables["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = server.url();
  write(".aws/config",
        "[default]\nrole_arn = arn:aws:iam::1:role/x\ncredential_source = Ec2InstanceMetadata\n");
  auto provider = chain();
  ASSERT_TRUE(provider.ok()) << provider.error().message;
  EXPECT_EQ((*provider)->credentials()->access_key_id, "ASIASTS1");
  EXPECT_NE(sts->requests()[0].header("authorization").find("Credential=ASIAIMDS/"),
            std::string::npos);
  EXPECT_EQ(sts->requests()[0].header("x-amz-security-token"), "imdstoken");
}

TEST_F(HttpChainTest, SilentImdsEndsTheChainQuickly) {
  int closed_port = 0;
  {
    LocalHttpServer gone(imds);
    closed_port = gone.port();
  }
  env.variables.erase("AWS_EC2_METADATA_DISABLED");
  env.variables["AWS_EC2_METADATA_SERVICE_ENDPOINT"] =
      "http://127.0.0.1:" + std::to_string(closed_port);
  auto provider = chain();
  ASSERT_FALSE(provider.ok());
  EXPECT_EQ(provider.error().code, ErrorCode::unauthorized);
  EXPECT_NE(provider.error().message.find("EC2 instance metadata (http://127.0.0.1"),
            std::string::npos);
}

TEST_F(HttpChainTest, OpenSessionEndToEndAgainstALocalEcr) {
  // A local "ECR" that checks each request's signature with our signer's canonical form.
  LocalHttpServer ecr([](const LocalRequest& r) {
    LocalResponse out;
    out.body = R"({"repositories":[]})";
    if (r.header("x-amz-target") != "AmazonEC2ContainerRegistry_V20150921.DescribeRepositories" ||
        r.header("authorization").find("/eu-west-1/ecr/aws4_request") == std::string::npos)
      out.status = 400;
    return out;
  });
  env.variables["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  env.variables["AWS_SECRET_ACCESS_KEY"] = "envsecret";
  AwsSessionOptions options;
  options.env = env;
  options.endpoint_url = ecr.url();
  auto session = open_aws_session(options);
  ASSERT_TRUE(session.ok()) << session.error().message;
  EXPECT_EQ(session->region, "eu-west-1");
  EXPECT_EQ(session->ecr.url, ecr.url());
  EXPECT_EQ(session->credentials_source, "environment");
  auto client = make_ecr_json_client(*session);
  auto answer = client->call("DescribeRepositories", "{}");
  ASSERT_TRUE(answer.ok()) << answer.error().message;

  AwsSessionOptions remote = options;
  remote.endpoint_url = "http://ecr.example.com";
  auto refused = open_aws_session(remote);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::invalid_input);

  AwsSessionOptions no_region = options;
  no_region.env->variables.erase("AWS_REGION");
  auto missing = open_aws_session(no_region);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::invalid_input);
}

// Answers from STS, container endpoints and IMDS whose values hold a CR/LF: refused, naming the
// source and the field, never quoting the value.
TEST_F(HttpChainTest, AssumedRoleAndWebIdentityAnswersWithControlCharactersAreRefused) {
  LocalHttpServer bad_sts([](const LocalRequest& r) {
    const std::string action = form_value(r.body, "Action");
    LocalResponse out;
    out.body = "<" + action + "Response><" + action +
               "Result><Credentials><AccessKeyId>ASIABAD</AccessKeyId><SecretAccessKey>s"
               "</SecretAccessKey><SessionToken>tok\r\nX-Injected: yes</SessionToken><Expiration>" +
               format_iso8601(g_now + 3'600'000) + "</Expiration></Credentials></" + action +
               "Result></" + action + "Response>";
    return out;
  });
  env.variables["AWS_ENDPOINT_URL_STS"] = bad_sts.url();
  env.variables["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  env.variables["AWS_SECRET_ACCESS_KEY"] = "envsecret";
  CredentialOptions options;
  options.role_arn = "arn:aws:iam::210987654321:role/cleanup";
  auto assumed = chain(options);
  ASSERT_FALSE(assumed.ok());
  EXPECT_EQ(assumed.error().code, ErrorCode::unauthorized);
  EXPECT_NE(assumed.error().message.find(
                "sts AssumeRole arn:aws:iam::210987654321:role/cleanup: the STS answer: "
                "SessionToken: contains a control character"),
            std::string::npos)
      << assumed.error().message;
  EXPECT_EQ(assumed.error().message.find("X-Injected"), std::string::npos);
  EXPECT_EQ(bad_sts.requests().size(), 1u);  // not retried: STS will not answer differently

  env.variables.erase("AWS_ACCESS_KEY_ID");
  env.variables.erase("AWS_SECRET_ACCESS_KEY");
  env.variables["AWS_WEB_IDENTITY_TOKEN_FILE"] = write("token", "eyJ-token\n");
  env.variables["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/irsa";
  auto web = chain();
  ASSERT_FALSE(web.ok());
  EXPECT_NE(web.error().message.find("sts AssumeRoleWithWebIdentity"), std::string::npos);
  EXPECT_NE(web.error().message.find("SessionToken: contains a control character"),
            std::string::npos)
      << web.error().message;
}

TEST_F(HttpChainTest, ContainerAnswersAndTokensWithControlCharactersAreRefused) {
  LocalHttpServer agent([](const LocalRequest&) {
    LocalResponse out;
    out.body =
        R"({"AccessKeyId":"ASIACONT","SecretAccessKey":"s","Token":"tok\r\nX-Injected: yes"})";
    return out;
  });
  env.variables["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = agent.url() + "/v1/credentials";
  auto provider = chain();
  ASSERT_FALSE(provider.ok());
  EXPECT_EQ(provider.error().code, ErrorCode::unauthorized);
  EXPECT_NE(provider.error().message.find("container endpoint"), std::string::npos);
  EXPECT_NE(provider.error().message.find("Token: contains a control character"), std::string::npos)
      << provider.error().message;
  EXPECT_EQ(provider.error().message.find("X-Injected"), std::string::npos);

  // The authorization token we would send: a tab is as refused as a line break.
  const auto requests_before = agent.requests().size();
  env.variables["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "pod\ttoken";
  provider = chain();
  ASSERT_FALSE(provider.ok());
  EXPECT_NE(provider.error().message.find("authorization token contains a control character"),
            std::string::npos)
      << provider.error().message;
  EXPECT_EQ(agent.requests().size(), requests_before);
}

TEST_F(HttpChainTest, ImdsAnswersWithControlCharactersAreRefused) {
  bool bad_session_token = false;
  LocalHttpServer server([&](const LocalRequest& r) {
    LocalResponse out;
    if (r.method == "PUT") {
      out.body = bad_session_token ? "imds\x01token" : "imds-token";
    } else if (r.target == "/latest/meta-data/iam/security-credentials/") {
      out.body = "ec2-role";
    } else {
      out.body =
          R"({"Code":"Success","AccessKeyId":"ASIAIMDS","SecretAccessKey":"s","Token":"tok\nX-Injected: yes"})";
    }
    return out;
  });
  env.variables.erase("AWS_EC2_METADATA_DISABLED");
  env.variables["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = server.url();
  auto provider = chain();
  ASSERT_FALSE(provider.ok());
  EXPECT_EQ(provider.error().code, ErrorCode::unauthorized);
  EXPECT_NE(provider.error().message.find("EC2 instance metadata"), std::string::npos);
  EXPECT_NE(provider.error().message.find("Token: contains a control character"), std::string::npos)
      << provider.error().message;
  EXPECT_EQ(provider.error().message.find("X-Injected"), std::string::npos);

  bad_session_token = true;  // the IMDSv2 session token we would send back in a header
  const auto requests_before = server.requests().size();
  provider = chain();
  ASSERT_FALSE(provider.ok());
  EXPECT_NE(provider.error().message.find("IMDSv2 session token contains a control character"),
            std::string::npos)
      << provider.error().message;
  EXPECT_EQ(server.requests().size(), requests_before + 1);  // the PUT only
}

}  // namespace
}  // namespace regsweep
