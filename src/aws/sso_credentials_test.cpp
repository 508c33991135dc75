// IAM Identity Center profiles through the credential chain, with the real curl client against a
// fake portal on 127.0.0.1 (AWS_ENDPOINT_URL_SSO): the token cache's file name (botocore's
// SSOTokenLoader key), the GetRoleCredentials request, expiry and refusal messages, and the
// config checks.
#include "aws/sso_credentials.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "aws/endpoint.hpp"
#include "support/local_http_server.hpp"
#include "support/manual_clock.hpp"

namespace regsweep {
namespace {

using testing::LocalHttpServer;
using testing::LocalRequest;
using testing::LocalResponse;

constexpr const char* k_session_config =
    "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\n"
    "sso_role_name = Cleanup\nregion = eu-west-1\n"
    "[sso-session corp]\nsso_start_url = https://d-123.awsapps.com/start\n"
    "sso_region = eu-central-1\nsso_registration_scopes = sso:account:access\n";

class SsoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/regsweep-sso-XXXXXX";
    m_dir = ::mkdtemp(pattern);
    env.home = m_dir;
    env.clock = &clock;
    env.variables["AWS_EC2_METADATA_DISABLED"] = "true";
    portal = std::make_unique<LocalHttpServer>([this](const LocalRequest& r) {
      ++calls;
      LocalResponse out;
      out.headers = {{"Content-Type", "application/json"}};
      if (r.header("x-amz-sso_bearer_token") != "tok-valid") {
        out.status = 401;
        out.body = R"({"message":"Session token not found or invalid"})";
        out.headers.push_back({"x-amzn-ErrorType", "UnauthorizedException"});
        return out;
      }
      if (r.target.find("role_name=NotMine") != std::string::npos) {
        out.status = 403;
        out.body = R"({"message":"No access"})";
        out.headers.push_back({"x-amzn-ErrorType", "ForbiddenException"});
        return out;
      }
      out.body = R"({"roleCredentials":{"accessKeyId":"ASIASSO)" + std::to_string(calls.load()) +
                 R"(","secretAccessKey":"ssosecret","sessionToken":"ssotoken","expiration":)" +
                 std::to_string(clock.now() + 3'600'000) + "}}";
      return out;
    });
    env.variables["AWS_ENDPOINT_URL_SSO"] = portal->url();
  }
  void TearDown() override { std::filesystem::remove_all(m_dir); }

  void write(const std::string& name, const std::string& text) {
    const std::string path = m_dir + "/" + name;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path) << text;
  }
  void cache_token(const std::string& key_sha1, const std::string& token,
                   const std::string& expires_at) {
    write(".aws/sso/cache/" + key_sha1 + ".json",
          R"({"startUrl":"https://d-123.awsapps.com/start","region":"eu-central-1",)"
          R"("accessToken":")" +
              token + R"(","expiresAt":")" + expires_at + "\"}");
  }

  Result<AwsCredentials> resolve(const std::string& profile) {
    CredentialOptions options;
    options.profile = profile;
    auto chain = make_default_credentials_chain(options, env, make_curl_client({}));
    if (!chain) return chain.error();
    return (*chain)->credentials();
  }

  std::string m_dir;
  testing::ManualClock clock{*parse_timestamp("2025-01-15T12:00:00Z")};
  AwsEnvironment env;
  std::atomic<int> calls{0};
  std::unique_ptr<LocalHttpServer> portal;
};

// sha1("corp") and sha1("https://d-123.awsapps.com/start"): the names `aws sso login` writes.
constexpr const char* k_corp_key = "ee0bfd2552fbd840c02cc48b6e823320543c450f";
constexpr const char* k_start_url_key = "2b829a45f04c9828cb45b7d092d8e4aa30818393";

TEST_F(SsoTest, SessionProfileTradesTheCachedTokenForRoleCredentials) {
  write(".aws/config", k_session_config);
  cache_token(k_corp_key, "tok-valid", "2025-01-15T20:00:00Z");
  auto creds = resolve("dev");
  ASSERT_TRUE(creds.ok()) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "ASIASSO1");
  EXPECT_EQ(creds->secret_access_key.reveal(), "ssosecret");
  EXPECT_EQ(creds->session_token.reveal(), "ssotoken");
  EXPECT_EQ(creds->expiration, clock.now() + 3'600'000);
  EXPECT_NE(creds->source.find("SSO profile dev"), std::string::npos) << creds->source;
  const auto requests = portal->requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].target,
            "/federation/credentials?account_id=111122223333&role_name=Cleanup");
  EXPECT_EQ(requests[0].header("authorization"), "");  // unsigned, as the SDKs send it
}

TEST_F(SsoTest, LegacyProfileKeysTheCacheByStartUrl) {
  write(".aws/config",
        "[profile old]\nsso_start_url = https://d-123.awsapps.com/start\nsso_region = "
        "eu-central-1\nsso_account_id = 111122223333\nsso_role_name = Cleanup\n");
  cache_token(k_start_url_key, "tok-valid", "2025-01-15T20:00:00UTC");  // older CLIs' format
  auto creds = resolve("old");
  ASSERT_TRUE(creds.ok()) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "ASIASSO1");
}

TEST_F(SsoTest, RoleCredentialsAreRefreshedWithATokenReadAgain) {
  write(".aws/config", k_session_config);
  cache_token(k_corp_key, "tok-valid", "2025-01-15T20:00:00Z");
  CredentialOptions options;
  options.profile = "dev";
  auto chain = make_default_credentials_chain(options, env, make_curl_client({}));
  ASSERT_TRUE(chain.ok()) << chain.error().message;
  EXPECT_EQ((*chain)->credentials()->access_key_id, "ASIASSO1");
  clock.advance(std::chrono::minutes(50));  // within the refresh window
  EXPECT_EQ((*chain)->credentials()->access_key_id, "ASIASSO2");
  // Signed out meanwhile: the next refresh fails, and once the old keys have expired that is
  // the answer.
  std::filesystem::remove(m_dir + "/.aws/sso/cache/" + k_corp_key + ".json");
  clock.advance(std::chrono::minutes(60));
  auto after = (*chain)->credentials();
  ASSERT_FALSE(after.ok());
  EXPECT_NE(after.error().message.find("aws sso login --profile dev"), std::string::npos);
}

TEST_F(SsoTest, ExpiredTokenSaysToLogInWithoutCallingThePortal) {
  write(".aws/config", k_session_config);
  cache_token(k_corp_key, "tok-valid", "2025-01-15T11:59:59Z");
  auto creds = resolve("dev");
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().code, ErrorCode::unauthorized);
  EXPECT_NE(creds.error().message.find("expired at 2025-01-15T11:59:59Z"), std::string::npos)
      << creds.error().message;
  EXPECT_NE(creds.error().message.find("run `aws sso login --profile dev`"), std::string::npos);
  EXPECT_EQ(calls.load(), 0);
}

TEST_F(SsoTest, MissingTokenSaysToLogIn) {
  write(".aws/config", k_session_config);
  auto creds = resolve("dev");
  ASSERT_FALSE(creds.ok());
  EXPECT_NE(creds.error().message.find("not signed in"), std::string::npos)
      << creds.error().message;
  EXPECT_NE(creds.error().message.find(k_corp_key), std::string::npos);
  EXPECT_NE(creds.error().message.find("aws sso login --profile dev"), std::string::npos);
}

TEST_F(SsoTest, RefusedTokenSaysToLogInAndNeverEchoesIt) {
  write(".aws/config", k_session_config);
  cache_token(k_corp_key, "tok-revoked-SECRET", "2025-01-15T20:00:00Z");
  auto creds = resolve("dev");
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().code, ErrorCode::unauthorized);
  EXPECT_NE(creds.error().message.find("aws sso login --profile dev"), std::string::npos)
      << creds.error().message;
  EXPECT_EQ(creds.error().message.find("SECRET"), std::string::npos);
  EXPECT_EQ(calls.load(), 1);  // not retried: logging in again is the only fix
}

TEST_F(SsoTest, RoleNotAssignedIsForbiddenWithAHint) {
  write(".aws/config",
        "[profile x]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = "
        "NotMine\n[sso-session corp]\nsso_start_url = https://d-123.awsapps.com/start\n"
        "sso_region = eu-central-1\n");
  cache_token(k_corp_key, "tok-valid", "2025-01-15T20:00:00Z");
  auto creds = resolve("x");
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().code, ErrorCode::forbidden);
  EXPECT_NE(creds.error().message.find("sso_role_name"), std::string::npos)
      << creds.error().message;
}

TEST_F(SsoTest, SourceProfileMayBeAnSsoProfile) {
  // A role assumed from SSO credentials: the STS call never happens here (no STS), but the SSO
  // profile is what the chain resolves first.
  write(".aws/config", std::string(k_session_config) +
                           "[profile app]\nrole_arn = arn:aws:iam::444455556666:role/app\n"
                           "source_profile = dev\n");
  cache_token(k_corp_key, "tok-valid", "2025-01-15T20:00:00Z");
  env.variables["AWS_ENDPOINT_URL_STS"] = portal->url();  // answers 401 to AssumeRole
  auto creds = resolve("app");
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(calls.load(), 2);  // GetRoleCredentials, then AssumeRole
  const auto requests = portal->requests();
  EXPECT_TRUE(requests[0].target.starts_with("/federation/credentials?"));
  EXPECT_NE(requests[1].header("authorization").find("Credential=ASIASSO1/"), std::string::npos);
}

TEST_F(SsoTest, IncompleteOrInconsistentProfilesAreInvalidInput) {
  struct Case {
    std::string config;
    std::string expected;
  };
  const Case cases[] = {
      {"[profile p]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\n",
       "no [sso-session corp] section"},
      {"[profile p]\nsso_session = corp\nsso_role_name = R\n[sso-session corp]\n"
       "sso_start_url = https://x\nsso_region = eu-west-1\n",
       "sso_account_id is missing"},
      {"[profile p]\nsso_start_url = https://x\nsso_account_id = 1\n",
       "sso_region, sso_role_name are missing"},
      {"[profile p]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\n"
       "sso_region = us-east-1\n[sso-session corp]\nsso_start_url = https://x\n"
       "sso_region = eu-west-1\n",
       "sso_region differs between the profile and [sso-session corp]"},
      {"[profile p]\nsso_start_url = https://x\nsso_region = EU/../x\nsso_account_id = 1\n"
       "sso_role_name = R\n",
       "sso_region: not a region name"},
  };
  for (const auto& c : cases) {
    write(".aws/config", c.config);
    auto creds = resolve("p");
    ASSERT_FALSE(creds.ok()) << c.config;
    EXPECT_EQ(creds.error().code, ErrorCode::invalid_input) << c.config;
    EXPECT_NE(creds.error().message.find(c.expected), std::string::npos) << c.config << "\n"
                                                                         << creds.error().message;
  }
  EXPECT_EQ(calls.load(), 0);
}

TEST_F(SsoTest, DefaultPortalIsTheSsoRegionsHost) {
  env.variables.erase("AWS_ENDPOINT_URL_SSO");
  AwsProfile none;
  auto url = resolve_endpoint_url(sso_endpoint_names(), "", "eu-central-1", env, none);
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(*url, "https://portal.sso.eu-central-1.amazonaws.com");
}

}  // namespace
}  // namespace regsweep
