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
#include "support/manual_clock.hpp"
#include "support/silent_server.hpp"

namespace regsweep {
namespace {

using testing::LocalHttpServer;
using testing::LocalRequest;
using testing::LocalResponse;

class SessionBoundsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/regsweep-session-XXXXXX";
    m_dir = ::mkdtemp(pattern);
    env.home = m_dir;
    env.clock = &clock;
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

  // One DescribeRepositories call; back-off sleeps are skipped (the session is on the manual
  // clock).
  Result<std::string> call(const AwsSession& session) {
    return make_ecr_json_client(session)->call("DescribeRepositories", "{}");
  }

  std::string m_dir;
  testing::ManualClock clock{*parse_timestamp("2025-01-15T12:00:00Z")};
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

TEST_F(SessionBoundsTest, RetryModeComesFromTheEnvironmentThenTheProfileElseAdaptive) {
  auto session = open("http://127.0.0.1:9");
  ASSERT_TRUE(session.ok()) << session.error().message;
  EXPECT_EQ(session->retry_mode, RetryMode::adaptive);
  write_config("[default]\nretry_mode = standard\n");
  session = open("http://127.0.0.1:9");
  ASSERT_TRUE(session.ok()) << session.error().message;
  EXPECT_EQ(session->retry_mode, RetryMode::standard);
  env.variables["AWS_RETRY_MODE"] = "adaptive";  // botocore's order: the variable wins
  session = open("http://127.0.0.1:9");
  ASSERT_TRUE(session.ok()) << session.error().message;
  EXPECT_EQ(session->retry_mode, RetryMode::adaptive);
  env.variables["AWS_RETRY_MODE"] = "legacy";  // another SDK mode: taken as standard
  session = open("http://127.0.0.1:9");
  ASSERT_TRUE(session.ok()) << session.error().message;
  EXPECT_EQ(session->retry_mode, RetryMode::standard);
}

TEST_F(SessionBoundsTest, InvalidRetryModesAreClearErrorsNamingTheirSource) {
  for (const char* bad : {"fast", "Adaptive", "standard ", "none"}) {
    env.variables["AWS_RETRY_MODE"] = bad;
    auto session = open("http://127.0.0.1:9");
    ASSERT_FALSE(session.ok()) << bad;
    EXPECT_EQ(session.error().code, ErrorCode::invalid_input);
    EXPECT_NE(session.error().message.find("aws: AWS_RETRY_MODE: \"" + std::string(bad) +
                                           "\" is not a retry mode; fix: standard"),
              std::string::npos)
        << session.error().message;
  }
  env.variables.erase("AWS_RETRY_MODE");
  write_config("[profile dev]\nretry_mode = turbo\n");
  options.profile = "dev";
  auto session = open("http://127.0.0.1:9");
  ASSERT_FALSE(session.ok());
  EXPECT_NE(session.error().message.find("profile 'dev' in " + m_dir +
                                         "/.aws/config: retry_mode: \"turbo\" is not a retry mode"),
            std::string::npos)
      << session.error().message;
}

TEST_F(SessionBoundsTest, StandardModeWithoutACapHasNoRateControl) {
  env.variables["AWS_RETRY_MODE"] = "standard";
  auto session = open("http://127.0.0.1:9");
  ASSERT_TRUE(session.ok()) << session.error().message;
  EXPECT_EQ(session_pacer(*session, session->ecr), nullptr);
  options.max_requests_per_second = 3;
  session = open("http://127.0.0.1:9");
  ASSERT_TRUE(session.ok()) << session.error().message;
  auto pacer = session_pacer(*session, session->ecr);
  ASSERT_NE(pacer, nullptr);
  for (int i = 0; i < 3; ++i) pacer->before_attempt("DescribeImages");  // the one-second burst
  EXPECT_TRUE(clock.sleeps().empty());
  pacer->before_attempt("BatchDeleteImage");  // the cap counts all operations together
  EXPECT_EQ(clock.sleeps().size(), 1u);
}

// A throttle seen by one session's client slows the clients of every session for the same
// endpoint, region and credentials (as `run` opens one per target), and no other.
TEST_F(SessionBoundsTest, ClientsOfSessionsForOneRegistryShareTheRateControl) {
  LocalHttpServer server([](const LocalRequest& r) {
    if (r.body.find("throttle-me") != std::string::npos)
      return LocalResponse{
          400, R"({"__type":"ThrottlingException","message":"Rate exceeded"})", {}, 0};
    return LocalResponse{200, "{}", {}, 0};
  });
  env.variables["AWS_MAX_ATTEMPTS"] = "1";  // no back-off sleeps: every sleep is the pacer's
  options.rate_controllers = std::make_shared<RateControllers>(clock);
  auto first = open(server.url());
  auto second = open(server.url());
  options.region = "us-west-2";
  auto other_region = open(server.url());
  ASSERT_TRUE(first.ok() && second.ok() && other_region.ok());
  EXPECT_EQ(other_region->region, "us-west-2");
  auto throttled = make_ecr_json_client(*first)->call("DescribeImages", R"({"x":"throttle-me"})");
  ASSERT_FALSE(throttled.ok());
  EXPECT_EQ(throttled.error().code, ErrorCode::throttled);
  EXPECT_TRUE(clock.sleeps().empty());
  EXPECT_TRUE(make_ecr_json_client(*other_region)->call("DescribeImages", "{}").ok());
  EXPECT_TRUE(clock.sleeps().empty());
  EXPECT_TRUE(make_ecr_json_client(*second)->call("DescribeImages", "{}").ok());
  EXPECT_EQ(clock.sleeps().size(), 1u);  // paced by the first session's throttle
}

}  // namespace
}  // namespace regsweep
