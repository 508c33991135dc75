// The token bucket under rate control: burst, pace, refill only up to capacity, rate changes that
// keep what was earned, and the blocking take on an injected clock.
#include "aws/rate_limit.hpp"

#include <gtest/gtest.h>

#include "support/manual_clock.hpp"

namespace regsweep {
namespace {

using namespace std::chrono_literals;

double seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

TEST(TokenBucket, GivesTheBurstThenPacesAtTheRate) {
  testing::ManualClock clock;
  std::mutex mutex;
  TokenBucket bucket(2, 4, 4, clock.steady());
  for (int i = 0; i < 4; ++i) take_token(bucket, mutex, clock);
  EXPECT_TRUE(clock.sleeps().empty());
  for (int i = 0; i < 10; ++i) take_token(bucket, mutex, clock);
  // 10 tokens beyond the burst at 2/s: 5 seconds.
  EXPECT_NEAR(seconds(clock.steady().time_since_epoch()), 5.0, 1e-6);
}

TEST(TokenBucket, TakeSaysHowLongUntilTheNextToken) {
  testing::ManualClock clock;
  TokenBucket bucket(4, 1, 1, clock.steady());
  EXPECT_EQ(bucket.take(clock.steady()), 0s);
  EXPECT_NEAR(seconds(bucket.take(clock.steady())), 0.25, 1e-6);
  clock.advance(100ms);
  EXPECT_NEAR(seconds(bucket.take(clock.steady())), 0.15, 1e-6);
  clock.advance(150ms);
  EXPECT_EQ(bucket.take(clock.steady()), 0s);
}

TEST(TokenBucket, IdleTimeRefillsOnlyUpToTheCapacity) {
  testing::ManualClock clock;
  std::mutex mutex;
  TokenBucket bucket(1, 2, 0, clock.steady());
  clock.advance(100s);  // long idle: still only 2 tokens
  take_token(bucket, mutex, clock);
  take_token(bucket, mutex, clock);
  EXPECT_TRUE(clock.sleeps().empty());
  take_token(bucket, mutex, clock);
  ASSERT_EQ(clock.sleeps().size(), 1u);
  EXPECT_NEAR(seconds(clock.sleeps()[0]), 1.0, 1e-6);
}

TEST(TokenBucket, ARateChangeKeepsWhatWasEarnedUpToTheNewCapacity) {
  testing::ManualClock clock;
  TokenBucket bucket(1, 10, 0, clock.steady());
  clock.advance(4s);  // 4 tokens earned at 1/s
  bucket.set_rate(100, 100, clock.steady());
  EXPECT_NEAR(bucket.tokens(), 4.0, 1e-9);  // not 400
  bucket.set_rate(0.5, 1, clock.steady());
  EXPECT_NEAR(bucket.tokens(), 1.0, 1e-9);  // clipped to the new capacity
}

TEST(TokenBucket, AVeryLowRateWaitsInBoundedSteps) {
  testing::ManualClock clock;
  TokenBucket bucket(1e-12, 1, 0, clock.steady());
  EXPECT_EQ(bucket.take(clock.steady()), std::chrono::steady_clock::duration(3600s));
}

}  // namespace
}  // namespace regsweep
