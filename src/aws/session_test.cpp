// The session's time and attempt bounds, with the real curl client against local servers: a server
// that accepts and never answers costs read timeout x attempts (AWS_MAX_ATTEMPTS, or the profile's
// max_attempts), a certificate that does not verify is tried once, and a session token that would
// inject a header never leaves the process.
#include "aws/session.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "support/local_http_server.hpp"
#include "support/local_tls_server.hpp"
#include "support/silent_server.hpp"

namespace regsweep {
namespace {

using testing::LocalHttpServer;
using testing::LocalRequest;
using testing::LocalResponse;

EpochMillis fixed_now() {
  return *parse_timestamp("2025-01-15T12:00:00Z");
}

class SessionBoundsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/regsweep-session-XXXXXX";
    m_dir = ::mkdtemp(pattern);
    env.home = m_dir;
    env.now = &fixed_now;
    env.variables = {{"AWS_EC2_METADATA_DISABLED", "true"},
                     {"AWS_REGION", "eu-west-1"},
                     {"AWS_ACCESS_KEY_ID", "AKIDENV"},
                     {"AWS_SECRET_ACCESS_KEY", "envsecret"}};
    options.read_timeout = std::chrono::milliseconds(200);
  }
  void TearDown() override { std::filesystem::remove_all(m_dir); }

  void write_config(const std::string& text) {
    std::filesystem::create_directories(m_dir + "/.aws");
    std::ofstream(m_dir + "/.aws/config") << text;
  }

  Result<AwsSession> open(const std::string& endpoint) {
    AwsSessionOptions o = options;
    o.env = env;
    o.endpoint_url = endpoint;
    return open_aws_session(o);
  }

  // One DescribeRepositories call; back-off sleeps are skipped (they are not what is tested).
  Result<std::string> call(const AwsSession& session) {
    RetryHooks hooks;
    hooks.sleep = [](std::chrono::milliseconds) {};
    return make_ecr_json_client(session, hooks)->call("DescribeRepositories", "{}");
  }

  std::string m_dir;
  AwsEnvironment env;
  AwsSessionOptions options;
};

TEST_F(SessionBoundsTest, SilentEndpointFailsAfterReadTimeoutTimesAwsMaxAttempts) {
  testing::SilentServer server;
  env.variables["AWS_MAX_ATTEMPTS"] = "2";
  auto session = open(server.url());
  ASSERT_TRUE(session.ok()) << session.error().message;
  EXPECT_EQ(session->retry.max_attempts, 2);
  auto answer = call(*session);
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().service_code, "timeout");
  EXPECT_NE(answer.error().message.find("timed out"), std::string::npos) << answer.error().message;
  EXPECT_NE(answer.error().message.find("gave up after 2 attempts"), std::string::npos)
      << answer.error().message;
  EXPECT_EQ(server.connections(), 2);  // each timed-out attempt dropped its connection
}

TEST_F(SessionBoundsTest, ProfileMaxAttemptsCountsWhenTheEnvironmentIsSilent) {
  testing::SilentServer server;
  write_config("[default]\nmax_attempts = 3\n");
  auto session = open(server.url());
  ASSERT_TRUE(session.ok()) << session.error().message;
  EXPECT_EQ(session->retry.max_attempts, 3);
  EXPECT_FALSE(call(*session).ok());
  EXPECT_EQ(server.connections(), 3);
  // AWS_MAX_ATTEMPTS wins over the profile (botocore's order).
  env.variables["AWS_MAX_ATTEMPTS"] = "1";
  auto overridden = open(server.url());
  ASSERT_TRUE(overridden.ok());
  EXPECT_EQ(overridden->retry.max_attempts, 1);
}

TEST_F(SessionBoundsTest, UnsetMaxAttemptsKeepsTheDefault) {
  auto session = open("http://127.0.0.1:9");
  ASSERT_TRUE(session.ok()) << session.error().message;
  EXPECT_EQ(session->retry.max_attempts, RetryOptions{}.max_attempts);
}

TEST_F(SessionBoundsTest, InvalidMaxAttemptsAreClearErrors) {
  for (const char* bad : {"0", "-1", "abc", "2.5", "3x", "101", "99999999999"}) {
    env.variables["AWS_MAX_ATTEMPTS"] = bad;
    auto session = open("http://127.0.0.1:9");
    ASSERT_FALSE(session.ok()) << bad;
    EXPECT_EQ(session.error().code, ErrorCode::invalid_input);
    EXPECT_NE(session.error().message.find("AWS_MAX_ATTEMPTS"), std::string::npos);
    EXPECT_NE(session.error().message.find("whole number from 1 to 100"), std::string::npos)
        << session.error().message;
  }
  env.variables.erase("AWS_MAX_ATTEMPTS");
  write_config("[profile dev]\nmax_attempts = many\n");
  options.profile = "dev";
  auto session = open("http://127.0.0.1:9");
  ASSERT_FALSE(session.ok());
  EXPECT_EQ(session.error().code, ErrorCode::invalid_input);
  EXPECT_NE(
      session.error().message.find("profile 'dev' in " + m_dir + "/.aws/config: max_attempts"),
      std::string::npos)
      << session.error().message;
}

TEST_F(SessionBoundsTest, TlsVerificationFailureIsAttemptedOnceAndNamesAwsCaBundle) {
  testing::LocalTlsServer server;  // self-signed: not trusted
  env.variables["AWS_MAX_ATTEMPTS"] = "5";
  auto session = open(server.url());
  ASSERT_TRUE(session.ok()) << session.error().message;
  auto answer = call(*session);
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().code, ErrorCode::unauthorized);
  EXPECT_NE(answer.error().message.find("AWS_CA_BUNDLE"), std::string::npos)
      << answer.error().message;
  EXPECT_NE(answer.error().message.find(server.url()), std::string::npos);
  EXPECT_EQ(answer.error().message.find("envsecret"), std::string::npos);
  EXPECT_EQ(server.connections(), 1);
}

TEST_F(SessionBoundsTest, SessionTokenWithALineBreakNeverReachesTheServer) {
  LocalHttpServer server([](const LocalRequest&) { return LocalResponse{200, "{}", {}, 0}; });
  env.variables["AWS_SESSION_TOKEN"] = "tok\r\nX-Injected: yes";
  auto session = open(server.url());
  ASSERT_FALSE(session.ok());
  EXPECT_EQ(session.error().code, ErrorCode::invalid_input);
  EXPECT_NE(session.error().message.find("AWS_SESSION_TOKEN: contains a control character"),
            std::string::npos)
      << session.error().message;
  EXPECT_EQ(session.error().message.find("Injected"), std::string::npos);
  EXPECT_EQ(server.connections(), 0);
}

}  // namespace
}  // namespace regsweep
