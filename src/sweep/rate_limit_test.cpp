#include "sweep/rate_limit.hpp"

#include <gtest/gtest.h>

namespace regsweep {
namespace {

using namespace std::chrono_literals;

// A clock that only moves when someone sleeps.
struct FakeTime {
  std::chrono::steady_clock::time_point now{};
  std::chrono::steady_clock::duration slept{0};
  LimiterClock clock() {
    return {[this] { return now; },
            [this](std::chrono::steady_clock::duration d) {
              now += d;
              slept += d;
            }};
  }
};

TEST(TokenBucketLimiter, AllowsTheBurstThenPacesAtTheRate) {
  FakeTime time;
  TokenBucketLimiter limiter({{"BatchDeleteImage", {2, 4}}}, {100, 100}, time.clock());
  for (int i = 0; i < 4; ++i) limiter.acquire("BatchDeleteImage");
  EXPECT_EQ(time.slept, 0s);
  for (int i = 0; i < 10; ++i) limiter.acquire("BatchDeleteImage");
  // 10 calls beyond the burst at 2/s: 5 seconds.
  EXPECT_NEAR(std::chrono::duration<double>(time.slept).count(), 5.0, 1e-6);
}

TEST(TokenBucketLimiter, OperationsHaveSeparateBuckets) {
  FakeTime time;
  TokenBucketLimiter limiter({{"DescribeImages", {1, 1}}}, {1, 1}, time.clock());
  limiter.acquire("DescribeImages");
  limiter.acquire("BatchDeleteImage");  // fallback bucket, still full
  EXPECT_EQ(time.slept, 0s);
  limiter.acquire("DescribeImages");
  EXPECT_NEAR(std::chrono::duration<double>(time.slept).count(), 1.0, 1e-6);
}

TEST(TokenBucketLimiter, IdleTimeRefillsOnlyUpToTheBurst) {
  FakeTime time;
  TokenBucketLimiter limiter({}, {1, 2}, time.clock());
  limiter.acquire("X");
  limiter.acquire("X");
  time.now += 100s;  // long idle: still only 2 tokens
  limiter.acquire("X");
  limiter.acquire("X");
  EXPECT_EQ(time.slept, 0s);
  limiter.acquire("X");
  EXPECT_NEAR(std::chrono::duration<double>(time.slept).count(), 1.0, 1e-6);
}

class CountingClient final : public AwsJsonClient {
 public:
  Result<std::string> call(std::string_view, const std::string&) override {
    ++calls;
    return std::string("{}");
  }
  int calls = 0;
};

class RecordingLimiter final : public RateLimiter {
 public:
  void acquire(std::string_view operation) override { operations.emplace_back(operation); }
  std::vector<std::string> operations;
};

TEST(RateLimited, AsksTheLimiterBeforeEveryCall) {
  auto inner = std::make_shared<CountingClient>();
  auto limiter = std::make_shared<RecordingLimiter>();
  auto client = rate_limited(inner, limiter);
  ASSERT_TRUE(client->call("DescribeImages", "{}").ok());
  ASSERT_TRUE(client->call("BatchDeleteImage", "{}").ok());
  EXPECT_EQ(inner->calls, 2);
  EXPECT_EQ(limiter->operations, (std::vector<std::string>{"DescribeImages", "BatchDeleteImage"}));
}

}  // namespace
}  // namespace regsweep
