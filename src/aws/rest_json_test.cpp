// The REST-JSON client (Lambda's protocol) retries by the one retry policy (its back-off, drawn
// from the client's clock) and passes the pacer on every attempt, one rate per API.
#include "aws/rest_json.hpp"

#include <gtest/gtest.h>

#include <deque>

#include "support/manual_clock.hpp"

namespace regsweep {
namespace {

class ScriptedHttp : public HttpClient {
 public:
  std::deque<HttpResponse> answers;
  std::vector<HttpRequest> requests;
  Result<HttpResponse> send(const HttpRequest& request) override {
    requests.push_back(request);
    if (answers.empty()) return HttpResponse{200, {}, "{}"};
    auto next = std::move(answers.front());
    answers.pop_front();
    return next;
  }
};

class NamesPacer final : public RequestPacer {
 public:
  SendTime before_attempt(std::string_view operation) override {
    events.push_back(std::string(operation));
    return {};
  }
  void after_attempt(std::string_view, SendTime, bool throttled) override {
    events.push_back(throttled ? "throttled" : "answered");
  }
  std::vector<std::string> events;
};

struct Fixture {
  std::shared_ptr<ScriptedHttp> http = std::make_shared<ScriptedHttp>();
  testing::ManualClock clock{1736942400000};
  std::shared_ptr<NamesPacer> pacer = std::make_shared<NamesPacer>();
  RetryOptions retry;

  std::unique_ptr<AwsRestClient> client() {
    AwsCredentials credentials;
    credentials.access_key_id = "AKIDTEST";
    credentials.secret_access_key = Secret("secret");
    return make_aws_rest_client(
        {"lambda", "eu-west-1", "https://lambda.eu-west-1.amazonaws.com/", ""},
        make_static_credentials_provider(credentials), http, retry,
        RetryHooks{clock, {}, pacer, nullptr});
  }
};

TEST(AwsRestClient, WaitsTheRetryPolicysBackoffOnItsClock) {
  Fixture f;
  f.clock.set_random(0.4);
  f.http->answers.push_back({429, {}, ""});
  f.http->answers.push_back({503, {}, ""});
  f.http->answers.push_back({200, {}, R"({"Functions":[]})"});
  auto body = f.client()->get("/2015-03-31/functions/?MaxItems=50");
  ASSERT_TRUE(body.ok()) << body.error().message;
  EXPECT_EQ(*body, R"({"Functions":[]})");
  EXPECT_EQ(f.clock.sleeps(),
            (std::vector<std::chrono::steady_clock::duration>{
                full_jitter_backoff(1, f.retry, 0.4), full_jitter_backoff(2, f.retry, 0.4)}));
  ASSERT_EQ(f.http->requests.size(), 3u);
  EXPECT_EQ(f.http->requests[0].url,
            "https://lambda.eu-west-1.amazonaws.com/2015-03-31/functions/?MaxItems=50");
}

TEST(AwsRestClient, GivesUpAfterMaxAttemptsAndNeverRetriesOtherErrors) {
  Fixture f;
  f.retry.max_attempts = 2;
  for (int i = 0; i < 3; ++i) f.http->answers.push_back({500, {}, ""});
  auto failed = f.client()->get("/2015-03-31/functions/");
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(f.http->requests.size(), 2u);
  EXPECT_NE(failed.error().message.find("gave up after 2 attempts"), std::string::npos);

  Fixture g;
  g.http->answers.push_back({403, {}, R"({"Type":"User","message":"denied"})"});
  auto denied = g.client()->get("/2015-03-31/functions/");
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, ErrorCode::forbidden);
  EXPECT_EQ(g.http->requests.size(), 1u);
}

TEST(AwsRestClient, EveryAttemptPassesThePacerUnderOneNameForTheControlPlane) {
  Fixture f;
  f.http->answers.push_back({429, {}, ""});
  ASSERT_TRUE(f.client()->get("/2015-03-31/functions/my-fn/versions?Marker=x").ok());
  ASSERT_TRUE(f.client()->get("/2015-03-31/functions/?MaxItems=50").ok());
  EXPECT_EQ(f.pacer->events, (std::vector<std::string>{"GET /2015-03-31/functions", "throttled",
                                                       "GET /2015-03-31/functions", "answered",
                                                       "GET /2015-03-31/functions", "answered"}));
}

}  // namespace
}  // namespace regsweep
