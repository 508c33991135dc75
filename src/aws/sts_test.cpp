// STS calls retry by the one retry policy of the AWS clients (its back-off, on the config's
// clock), 3 attempts at most, and date their signatures by that clock.
#include "aws/sts.hpp"

#include <gtest/gtest.h>

#include <deque>

#include "aws/retry_policy.hpp"
#include "support/manual_clock.hpp"

namespace regsweep {
namespace {

class ScriptedHttp : public HttpClient {
 public:
  std::deque<HttpResponse> answers;
  std::vector<HttpRequest> requests;
  Result<HttpResponse> send(const HttpRequest& request) override {
    requests.push_back(request);
    auto next = std::move(answers.front());
    answers.pop_front();
    return next;
  }
};

const char* k_throttle =
    "<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error>"
    "</ErrorResponse>";
const char* k_identity =
    "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/ci"
    "</Arn><UserId>AIDA</UserId><Account>123456789012</Account></GetCallerIdentityResult>"
    "</GetCallerIdentityResponse>";

struct Fixture {
  std::shared_ptr<ScriptedHttp> http = std::make_shared<ScriptedHttp>();
  testing::ManualClock clock{1736942400000};
  AwsCredentials credentials;
  StsClientConfig sts() {
    credentials.access_key_id = "AKIDTEST";
    credentials.secret_access_key = Secret("secret");
    StsClientConfig config;
    config.endpoint_url = "https://sts.eu-west-1.amazonaws.com";
    config.signing_region = "eu-west-1";
    config.http = http;
    config.clock = &clock;
    return config;
  }
};

TEST(Sts, WaitsTheRetryPolicysBackoffOnItsClock) {
  Fixture f;
  f.clock.set_random(0.9);
  f.http->answers.push_back({400, {}, k_throttle});
  f.http->answers.push_back({503, {}, ""});
  f.http->answers.push_back({200, {}, k_identity});
  auto identity = sts_get_caller_identity(f.sts(), f.credentials);
  ASSERT_TRUE(identity.ok()) << identity.error().message;
  EXPECT_EQ(identity->account, "123456789012");
  EXPECT_EQ(f.clock.sleeps(), (std::vector<std::chrono::steady_clock::duration>{
                                  full_jitter_backoff(1, RetryOptions{}, 0.9),
                                  full_jitter_backoff(2, RetryOptions{}, 0.9)}));
  // Signed at the clock's time.
  bool dated = false;
  for (const auto& [name, value] : f.http->requests[0].headers)
    dated = dated || (name == "X-Amz-Date" && value == "20250115T120000Z");
  EXPECT_TRUE(dated);
}

TEST(Sts, GivesUpAfterThreeAttempts) {
  Fixture f;
  for (int i = 0; i < 5; ++i) f.http->answers.push_back({400, {}, k_throttle});
  auto identity = sts_get_caller_identity(f.sts(), f.credentials);
  ASSERT_FALSE(identity.ok());
  EXPECT_EQ(identity.error().code, ErrorCode::throttled);
  EXPECT_EQ(f.http->requests.size(), static_cast<std::size_t>(k_sts_max_attempts));
  EXPECT_NE(identity.error().message.find("gave up after 3 attempts"), std::string::npos);
}

}  // namespace
}  // namespace regsweep
