// The JSON 1.1 client with a scripted fake HttpClient: request shape, error decoding and
// classification, standard-mode retries (throttling, 5xx, 429, budget, LimitExceeded, expired
// token), bounded full jitter, and secret-free logs and errors.
#include "aws/json_rpc.hpp"

#include <gtest/gtest.h>

#include <deque>

#include "support/manual_clock.hpp"

namespace regsweep {
namespace {

class ScriptedHttp : public HttpClient {
 public:
  std::deque<Result<HttpResponse>> answers;
  std::vector<HttpRequest> requests;
  Result<HttpResponse> send(const HttpRequest& request) override {
    requests.push_back(request);
    if (answers.empty()) return HttpResponse{200, {}, "{}"};
    auto next = std::move(answers.front());
    answers.pop_front();
    return next;
  }
};

HttpResponse answer(long status, std::string body, HttpHeaders headers = {}) {
  return HttpResponse{status, std::move(headers), std::move(body)};
}

class CountingCredentials : public CredentialsProvider {
 public:
  int fetches = 0;
  int invalidations = 0;
  Result<AwsCredentials> credentials() override {
    ++fetches;
    AwsCredentials c;
    c.access_key_id = "AKIDTEST";
    c.secret_access_key = Secret("SECRETKEY-must-not-leak");
    c.session_token = Secret("SESSIONTOKEN-must-not-leak");
    return c;
  }
  void invalidate() override { ++invalidations; }
};

struct Fixture {
  std::shared_ptr<ScriptedHttp> http = std::make_shared<ScriptedHttp>();
  std::shared_ptr<CountingCredentials> creds = std::make_shared<CountingCredentials>();
  testing::ManualClock clock{1736942400000};
  std::vector<std::string> logs;
  double random_value = 0.999;
  RetryOptions retry;
  std::shared_ptr<RequestPacer> pacer;
  std::shared_ptr<CallCounter> counter = std::make_shared<CallCounter>();

  std::unique_ptr<AwsJsonClient> client() {
    clock.set_random(random_value);
    RetryHooks hooks{clock, [this](std::string_view line) { logs.emplace_back(line); }, pacer,
                     counter};
    return make_aws_json_client({"ecr", "us-east-1", "https://api.ecr.us-east-1.amazonaws.com",
                                 "AmazonEC2ContainerRegistry_V20150921"},
                                creds, http, retry, hooks);
  }
  std::vector<std::chrono::milliseconds> sleeps() const {
    std::vector<std::chrono::milliseconds> out;
    for (auto d : clock.sleeps())
      out.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(d));
    return out;
  }
};

const char* k_throttle = R"({"__type":"ThrottlingException","message":"Rate exceeded"})";

TEST(AwsJsonClient, SendsASignedJson11Request) {
  Fixture f;
  f.http->answers.push_back(answer(200, R"({"repositories":[]})"));
  auto result = f.client()->call("DescribeRepositories", "");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, R"({"repositories":[]})");
  ASSERT_EQ(f.http->requests.size(), 1u);
  const HttpRequest& r = f.http->requests[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.body, "{}");
  auto header = [&](std::string_view name) {
    for (auto& [n, v] : r.headers)
      if (n == name) return v;
    return std::string();
  };
  EXPECT_EQ(header("Content-Type"), "application/x-amz-json-1.1");
  EXPECT_EQ(header("X-Amz-Target"), "AmazonEC2ContainerRegistry_V20150921.DescribeRepositories");
  EXPECT_EQ(header("X-Amz-Date"), "20250115T120000Z");
  EXPECT_EQ(header("X-Amz-Security-Token"), "SESSIONTOKEN-must-not-leak");
  EXPECT_TRUE(
      header("Authorization")
          .starts_with(
              "AWS4-HMAC-SHA256 Credential=AKIDTEST/20250115/us-east-1/ecr/aws4_request, "
              "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target"));
}

struct ClassCase {
  long status;
  std::string body;
  ErrorCode code;
  std::string service_code;
};

TEST(AwsJsonClient, ClassifiesErrors) {
  const std::vector<ClassCase> cases = {
      {400, R"({"__type":"RepositoryNotFoundException","message":"no repo"})", ErrorCode::not_found,
       "RepositoryNotFoundException"},
      {400, R"({"__type":"com.amazonaws.ecr#ImageNotFoundException","Message":"x"})",
       ErrorCode::not_found, "ImageNotFoundException"},
      {400, R"({"__type":"AccessDeniedException","message":"User: arn is not authorized"})",
       ErrorCode::forbidden, "AccessDeniedException"},
      {400, R"({"__type":"UnrecognizedClientException"})", ErrorCode::unauthorized,
       "UnrecognizedClientException"},
      {400, R"({"__type":"InvalidSignatureException:http://internal.amazon.com/x"})",
       ErrorCode::unauthorized, "InvalidSignatureException"},
      {400, R"({"__type":"InvalidParameterException","message":"bad"})", ErrorCode::invalid_input,
       "InvalidParameterException"},
      {400, R"({"__type":"RepositoryAlreadyExistsException"})", ErrorCode::conflict,
       "RepositoryAlreadyExistsException"},
      {400, R"({"__type":"com.amazon.coral.service#SerializationException","Message":null})",
       ErrorCode::invalid_input, "SerializationException"},
      {403, "<html>nope</html>", ErrorCode::forbidden, ""},
  };
  for (const auto& c : cases) {
    Fixture f;
    f.http->answers.push_back(answer(c.status, c.body));
    auto result = f.client()->call("DescribeImages", "{}");
    ASSERT_FALSE(result.ok()) << c.body;
    EXPECT_EQ(result.error().code, c.code) << c.body;
    EXPECT_EQ(result.error().service_code, c.service_code) << c.body;
    EXPECT_EQ(f.http->requests.size(), 1u) << "not retried: " << c.body;
    EXPECT_TRUE(result.error().message.starts_with("ecr DescribeImages: "))
        << result.error().message;
  }
}

TEST(AwsJsonClient, ErrorTypeHeaderIsTheFallback) {
  Fixture f;
  f.http->answers.push_back(
      answer(400, "", {{"x-amzn-errortype", "RepositoryNotFoundException:http://internal/"}}));
  auto result = f.client()->call("DescribeImages", "{}");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().service_code, "RepositoryNotFoundException");
}

TEST(AwsJsonClient, ThrottleThenSuccess) {
  Fixture f;
  f.http->answers.push_back(answer(400, k_throttle));
  f.http->answers.push_back(answer(400, k_throttle));
  f.http->answers.push_back(answer(200, R"({"ok":true})"));
  auto result = f.client()->call("DescribeImages", "{}");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(f.http->requests.size(), 3u);
  ASSERT_EQ(f.sleeps().size(), 2u);
  // Every attempt is a request the quota (and apiCalls) sees.
  EXPECT_EQ(f.counter->counts(), (ApiCalls{{"DescribeImages", 3}}));
  // Each attempt is signed afresh: all three carry their own Authorization.
  for (auto& r : f.http->requests)
    EXPECT_EQ(std::count_if(r.headers.begin(), r.headers.end(),
                            [](auto& h) { return h.first == "Authorization"; }),
              1);
}

TEST(AwsJsonClient, TransientStatusesAnd429AreRetried) {
  for (long status : {500L, 502L, 503L, 504L, 429L}) {
    Fixture f;
    f.http->answers.push_back(answer(status, "<html>busy</html>"));
    f.http->answers.push_back(answer(200, "{}"));
    auto result = f.client()->call("ListImages", "{}");
    EXPECT_TRUE(result.ok()) << status;
    EXPECT_EQ(f.http->requests.size(), 2u) << status;
  }
}

TEST(AwsJsonClient, TransportErrorsAreRetried) {
  Fixture f;
  f.http->answers.push_back(make_error(ErrorCode::transient, "http: connection reset"));
  f.http->answers.push_back(answer(200, "{}"));
  EXPECT_TRUE(f.client()->call("ListImages", "{}").ok());
  EXPECT_EQ(f.http->requests.size(), 2u);
}

TEST(AwsJsonClient, GivesUpAfterMaxAttempts) {
  Fixture f;
  f.retry.max_attempts = 3;
  for (int i = 0; i < 5; ++i)
    f.http->answers.push_back(answer(500, R"({"__type":"ServerException"})"));
  auto result = f.client()->call("ListImages", "{}");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::transient);
  EXPECT_EQ(f.http->requests.size(), 3u);
  EXPECT_NE(result.error().message.find("gave up after 3 attempts"), std::string::npos);
}

// The back-off is the one of aws/retry_policy (tested there), drawn from the client's clock.
TEST(AwsJsonClient, WaitsTheRetryPolicysBackoffOnItsClock) {
  Fixture f;
  f.random_value = 0.6;
  for (int i = 0; i < 4; ++i) f.http->answers.push_back(answer(400, k_throttle));
  ASSERT_TRUE(f.client()->call("ListImages", "{}").ok());
  std::vector<std::chrono::milliseconds> expected;
  for (int retry = 1; retry <= 4; ++retry)
    expected.push_back(full_jitter_backoff(retry, f.retry, 0.6));
  EXPECT_EQ(f.sleeps(), expected);
  EXPECT_EQ(f.http->requests.size(), 5u);
}

// Records what a client tells its pacer.
class RecordingPacer final : public RequestPacer {
 public:
  explicit RecordingPacer(Clock& clock) : m_clock(clock) {}
  SendTime before_attempt(std::string_view operation) override {
    events.push_back("before " + std::string(operation));
    return m_clock.steady();
  }
  void after_attempt(std::string_view operation, SendTime, bool throttled) override {
    events.push_back("after " + std::string(operation) + (throttled ? " throttled" : " ok"));
  }
  std::vector<std::string> events;

 private:
  Clock& m_clock;
};

TEST(AwsJsonClient, EveryAttemptPassesThePacerWhichLearnsOfThrottles) {
  Fixture f;
  auto pacer = std::make_shared<RecordingPacer>(f.clock);
  f.pacer = pacer;
  f.http->answers.push_back(answer(400, k_throttle));
  f.http->answers.push_back(answer(503, ""));
  f.http->answers.push_back(answer(400, R"({"__type":"LimitExceededException"})"));
  f.http->answers.push_back(answer(200, "{}"));
  ASSERT_TRUE(f.client()->call("DescribeImages", "{}").ok());
  EXPECT_EQ(pacer->events, (std::vector<std::string>{
                               "before DescribeImages", "after DescribeImages throttled",
                               "before DescribeImages", "after DescribeImages ok",
                               "before DescribeImages", "after DescribeImages ok",  // a quota
                               "before DescribeImages", "after DescribeImages ok"}));
}

TEST(AwsJsonClient, RetryBudgetRunsOut) {
  Fixture f;
  f.retry.quota_tokens = 12;  // two retries of cost 5, then nothing left
  f.retry.max_attempts = 10;
  for (int i = 0; i < 10; ++i) f.http->answers.push_back(answer(503, ""));
  auto client = f.client();
  auto result = client->call("ListImages", "{}");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(f.http->requests.size(), 3u);
  EXPECT_NE(result.error().message.find("retry budget is exhausted"), std::string::npos);
  // The next call gets no retry either, until successes refund tokens.
  f.http->answers.clear();
  f.http->answers.push_back(answer(503, ""));
  f.http->requests.clear();
  EXPECT_FALSE(client->call("ListImages", "{}").ok());
  EXPECT_EQ(f.http->requests.size(), 1u);
  f.http->answers.clear();
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(client->call("ListImages", "{}").ok());  // +3 tokens
  f.http->answers.push_back(answer(503, ""));
  f.http->answers.push_back(answer(200, "{}"));
  f.http->requests.clear();
  EXPECT_TRUE(client->call("ListImages", "{}").ok());
  EXPECT_EQ(f.http->requests.size(), 2u);
}

TEST(AwsJsonClient, TimeoutsCostMoreBudget) {
  Fixture f;
  f.retry.quota_tokens = 12;
  f.retry.max_attempts = 10;
  for (int i = 0; i < 5; ++i) {
    Error e = make_error(ErrorCode::transient, "http: timed out");
    e.service_code = "timeout";
    f.http->answers.push_back(e);
  }
  EXPECT_FALSE(f.client()->call("ListImages", "{}").ok());
  EXPECT_EQ(f.http->requests.size(), 2u);  // one retry of cost 10, then 2 tokens left
}

TEST(AwsJsonClient, LimitExceededIsRetriedOnceOnly) {
  Fixture f;
  for (int i = 0; i < 5; ++i)
    f.http->answers.push_back(answer(400, R"({"__type":"LimitExceededException"})"));
  auto result = f.client()->call("CreateRepository", "{}");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::throttled);
  EXPECT_EQ(f.http->requests.size(), 2u);
}

TEST(AwsJsonClient, ExpiredTokenRefreshesCredentialsOnce) {
  Fixture f;
  f.http->answers.push_back(answer(400, R"({"__type":"ExpiredTokenException"})"));
  f.http->answers.push_back(answer(200, "{}"));
  EXPECT_TRUE(f.client()->call("ListImages", "{}").ok());
  EXPECT_EQ(f.creds->invalidations, 1);
  EXPECT_EQ(f.creds->fetches, 2);
  EXPECT_TRUE(f.sleeps().empty());

  Fixture g;
  for (int i = 0; i < 4; ++i)
    g.http->answers.push_back(answer(400, R"({"__type":"ExpiredTokenException"})"));
  auto result = g.client()->call("ListImages", "{}");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::unauthorized);
  EXPECT_EQ(g.http->requests.size(), 2u);
}

TEST(AwsJsonClient, SecretsNeverReachLogsOrErrors) {
  Fixture f;
  f.http->answers.push_back(answer(400, k_throttle));
  f.http->answers.push_back(
      answer(400, R"({"__type":"AccessDeniedException","message":"denied"})"));
  auto result = f.client()->call("ListImages", "{}");
  ASSERT_FALSE(result.ok());
  ASSERT_FALSE(f.logs.empty());
  bool saw_redacted = false;
  for (const auto& line : f.logs) {
    EXPECT_EQ(line.find("SECRETKEY-must-not-leak"), std::string::npos) << line;
    EXPECT_EQ(line.find("SESSIONTOKEN-must-not-leak"), std::string::npos) << line;
    EXPECT_EQ(line.find("Signature="), std::string::npos) << line;
    saw_redacted = saw_redacted || line.find("<redacted>") != std::string::npos;
  }
  EXPECT_TRUE(saw_redacted);
  EXPECT_EQ(result.error().message.find("SECRETKEY-must-not-leak"), std::string::npos);
  EXPECT_EQ(result.error().message.find("SESSIONTOKEN-must-not-leak"), std::string::npos);
}

}  // namespace
}  // namespace regsweep
