// The one retry policy of the AWS clients: full jitter (bounded, growing, capped), which errors are
// retried and how often, and the retry quota. Each client's own test shows that it waits exactly
// full_jitter_backoff (json_rpc_test, rest_json_test, sts_test).
#include "aws/retry_policy.hpp"

#include <gtest/gtest.h>

#include "support/manual_clock.hpp"

namespace regsweep {
namespace {

using std::chrono::milliseconds;

Error throttled() {
  Error e = make_error(ErrorCode::throttled, "ecr X: Rate exceeded");
  e.service_code = "ThrottlingException";
  return e;
}

TEST(FullJitterBackoff, IsUniformBelowAnExponentialCappedAtMaxDelay) {
  RetryOptions options;
  options.base_delay = milliseconds(100);
  options.max_delay = milliseconds(1000);
  // Caps: 100, 200, 400, 800, 1000, 1000 ms; the delay is random x cap.
  const std::vector<long> caps = {100, 200, 400, 800, 1000, 1000};
  for (std::size_t i = 0; i < caps.size(); ++i) {
    const int retry = static_cast<int>(i) + 1;
    EXPECT_EQ(full_jitter_backoff(retry, options, 0.0), milliseconds(0));
    EXPECT_EQ(full_jitter_backoff(retry, options, 0.5), milliseconds(caps[i] / 2));
    EXPECT_LT(full_jitter_backoff(retry, options, 0.999).count(), caps[i]);
    EXPECT_GE(full_jitter_backoff(retry, options, 0.999).count(), caps[i] * 99 / 100 - 1);
  }
  // Far retries neither overflow nor exceed the cap; a random value out of range is clamped.
  EXPECT_EQ(full_jitter_backoff(5000, options, 0.5), milliseconds(500));
  EXPECT_EQ(full_jitter_backoff(2, options, 7.0), milliseconds(200));
  EXPECT_EQ(full_jitter_backoff(2, options, -1.0), milliseconds(0));
}

TEST(RetryPolicy, SleepsTheBackoffOnTheClockAndLogsIt) {
  testing::ManualClock clock;
  clock.set_random(0.5);
  RetryPolicy policy(RetryOptions{}, clock);
  auto call = policy.start();
  std::vector<std::string> lines;
  Error error = throttled();
  ASSERT_TRUE(call.retry_after(error, "ecr X", [&](std::string_view l) { lines.emplace_back(l); }));
  ASSERT_TRUE(call.retry_after(error, "ecr X"));
  EXPECT_EQ(clock.sleeps(), (std::vector<std::chrono::steady_clock::duration>{
                                full_jitter_backoff(1, RetryOptions{}, 0.5),
                                full_jitter_backoff(2, RetryOptions{}, 0.5)}));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "ecr X: attempt 1 failed (ecr X: Rate exceeded); retrying in 50 ms");
}

TEST(RetryPolicy, OnlyRetryableErrorsAndAtMostMaxAttempts) {
  testing::ManualClock clock;
  RetryOptions options;
  options.max_attempts = 3;
  RetryPolicy policy(options, clock);
  for (ErrorCode code : {ErrorCode::invalid_input, ErrorCode::not_found, ErrorCode::unauthorized,
                         ErrorCode::forbidden, ErrorCode::conflict, ErrorCode::internal}) {
    auto call = policy.start();
    Error error = make_error(code, "x");
    EXPECT_FALSE(call.retry_after(error, "x"));
    EXPECT_EQ(error.message, "x");
  }
  auto call = policy.start();
  Error error = make_error(ErrorCode::transient, "x");
  EXPECT_TRUE(call.retry_after(error, "x"));
  EXPECT_TRUE(call.retry_after(error, "x"));
  EXPECT_FALSE(call.retry_after(error, "x"));  // the third attempt was the last
  EXPECT_EQ(error.message, "x; gave up after 3 attempts");
}

TEST(RetryPolicy, LimitExceededIsRetriedOnce) {
  testing::ManualClock clock;
  RetryPolicy policy(RetryOptions{}, clock);
  auto call = policy.start();
  Error error = make_error(ErrorCode::throttled, "x");
  error.service_code = "LimitExceededException";
  EXPECT_TRUE(call.retry_after(error, "x"));
  EXPECT_FALSE(call.retry_after(error, "x"));
}

TEST(RetryPolicy, TheQuotaIsSharedByCallsAndRefundedBySuccesses) {
  testing::ManualClock clock;
  RetryOptions options;
  options.quota_tokens = 12;  // two retries of cost 5
  options.max_attempts = 10;
  RetryPolicy policy(options, clock);
  auto first = policy.start();
  Error error = throttled();
  EXPECT_TRUE(first.retry_after(error, "x"));
  auto second = policy.start();
  EXPECT_TRUE(second.retry_after(error, "x"));
  auto third = policy.start();
  EXPECT_FALSE(third.retry_after(error, "x"));
  EXPECT_NE(error.message.find("retry budget is exhausted"), std::string::npos);
  first.succeeded();  // refunds its retry's 5
  Error again = throttled();
  auto fourth = policy.start();
  EXPECT_TRUE(fourth.retry_after(again, "x"));
  // A timeout costs 10: with 2 left (12 - 5 - 5 + 5 - 5), none.
  Error timeout = make_error(ErrorCode::transient, "timed out");
  timeout.service_code = "timeout";
  auto fifth = policy.start();
  EXPECT_FALSE(fifth.retry_after(timeout, "x"));
}

}  // namespace
}  // namespace regsweep
