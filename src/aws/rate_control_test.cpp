// Rate control on a manual clock (no test sleeps or reads the time): no limit before the first
// throttle; multiplicative decrease on throttles, once per burst in flight; recovery along the
// cubic curve, never more than twice the measured rate; the cap, never exceeded, in both modes and
// across threads; one controller per key, shared, and independent of the others.
#include "aws/rate_control.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <thread>

#include "support/manual_clock.hpp"

namespace regsweep {
namespace {

using namespace std::chrono_literals;

constexpr const char* k_op = "DescribeImages";

double seconds(SendTime t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

// Sends `count` calls of k_op through `pacer`, one every `gap` of the clock, all answered
// successfully; returns the total time the pacer made the caller wait.
std::chrono::steady_clock::duration send(RequestPacer& pacer, testing::ManualClock& clock,
                                         int count, std::chrono::steady_clock::duration gap) {
  std::chrono::steady_clock::duration waited{0};
  for (int i = 0; i < count; ++i) {
    const auto before = clock.steady();
    const SendTime sent = pacer.before_attempt(k_op);
    waited += sent - before;
    pacer.after_attempt(k_op, sent, false);
    clock.advance(gap);
  }
  return waited;
}

// One call that is answered with a throttle.
void throttle(RequestPacer& pacer) {
  pacer.after_attempt(k_op, pacer.before_attempt(k_op), true);
}

// The most sends within any window of `width` (send times sorted).
int busiest_window(std::vector<SendTime> sent, std::chrono::steady_clock::duration width) {
  std::sort(sent.begin(), sent.end());
  int most = 0;
  std::size_t first = 0;
  for (std::size_t last = 0; last < sent.size(); ++last) {
    while (sent[last] - sent[first] >= width) ++first;
    most = std::max(most, static_cast<int>(last - first + 1));
  }
  return most;
}

TEST(RateControl, NothingIsLimitedBeforeTheFirstThrottle) {
  testing::ManualClock clock;
  auto controller = std::make_shared<RateController>(clock, 0);
  auto pacer = make_pacer(controller, true);
  // 1,000 calls a second for 5 seconds: not one wait.
  EXPECT_EQ(send(*pacer, clock, 5000, 1ms), 0s);
  EXPECT_TRUE(clock.sleeps().empty());
  EXPECT_FALSE(controller->state(k_op).limited);
  EXPECT_NEAR(controller->state(k_op).measured, 1000, 1);
}

TEST(RateControl, EachThrottleCutsTheRateBy30Percent) {
  testing::ManualClock clock;
  auto controller = std::make_shared<RateController>(clock, 0);
  auto pacer = make_pacer(controller, true);
  send(*pacer, clock, 40, 50ms);  // 20 a second for 2 s
  throttle(*pacer);
  auto state = controller->state(k_op);
  EXPECT_TRUE(state.limited);
  EXPECT_NEAR(state.w_max, 20, 0.5);
  EXPECT_NEAR(state.rate, 0.7 * state.w_max, 1e-9);
  // Throttles of calls sent after each decrease: x0.7 each time.
  for (int i = 0; i < 3; ++i) {
    const double before = controller->state(k_op).rate;
    clock.advance(10ms);
    throttle(*pacer);
    EXPECT_NEAR(controller->state(k_op).rate, 0.7 * before, 1e-9) << i;
  }
  // Never below the minimum rate.
  for (int i = 0; i < 30; ++i) {
    clock.advance(10ms);
    throttle(*pacer);
  }
  EXPECT_DOUBLE_EQ(controller->state(k_op).rate, RateController::k_min_rate);
}

TEST(RateControl, ThrottlesOfCallsSentBeforeTheDecreaseCountOnce) {
  testing::ManualClock clock;
  auto controller = std::make_shared<RateController>(clock, 0);
  auto pacer = make_pacer(controller, true);
  send(*pacer, clock, 40, 50ms);
  // Eight workers' calls in flight together; all eight come back throttled.
  std::vector<SendTime> in_flight;
  for (int i = 0; i < 8; ++i) in_flight.push_back(pacer->before_attempt(k_op));
  clock.advance(20ms);
  pacer->after_attempt(k_op, in_flight[0], true);
  const double after_first = controller->state(k_op).rate;
  for (int i = 1; i < 8; ++i) pacer->after_attempt(k_op, in_flight[i], true);
  EXPECT_DOUBLE_EQ(controller->state(k_op).rate, after_first);
}

TEST(RateControl, RecoversAlongTheCubicCurveWhenThrottlesStop) {
  testing::ManualClock clock;
  auto controller = std::make_shared<RateController>(clock, 0);
  auto pacer = make_pacer(controller, true);
  send(*pacer, clock, 200, 10ms);  // 100 a second
  throttle(*pacer);
  const double w_max = controller->state(k_op).w_max;
  const double k = std::cbrt(w_max * 0.3 / 0.4);
  const auto throttled_at = clock.steady();
  // Successes at the allowed pace: the rate follows 0.4 (t - K)^3 + W_max, t since the throttle.
  std::vector<double> rates;
  for (double t : {0.5, 1.0, k, k + 1.0, k + 2.0}) {
    while (seconds(clock.steady()) - seconds(throttled_at) < t) send(*pacer, clock, 1, 0ms);
    const double elapsed = seconds(clock.steady()) - seconds(throttled_at);
    EXPECT_NEAR(controller->state(k_op).rate, 0.4 * std::pow(elapsed - k, 3) + w_max, 1e-6) << t;
    rates.push_back(controller->state(k_op).rate);
  }
  EXPECT_TRUE(std::is_sorted(rates.begin(), rates.end()));
  EXPECT_NEAR(rates[2], w_max, 0.5);  // back at W_max after K seconds
  EXPECT_GT(rates[4], w_max);         // then probing beyond it
}

TEST(RateControl, TheRateNeverRunsMoreThanTwiceAheadOfTheMeasuredRate) {
  testing::ManualClock clock;
  auto controller = std::make_shared<RateController>(clock, 0);
  auto pacer = make_pacer(controller, true);
  send(*pacer, clock, 40, 50ms);
  throttle(*pacer);
  // Then a slow trickle (one call every 2 s) for a minute: the cubic curve alone would be at
  // thousands a second by now.
  send(*pacer, clock, 30, 2s);
  const auto state = controller->state(k_op);
  EXPECT_LE(state.rate, 2 * state.measured + 1e-9);
  EXPECT_LT(state.rate, 2);
}

TEST(RateControl, TheLimitPacesCallsAfterAThrottle) {
  testing::ManualClock clock;
  auto controller = std::make_shared<RateController>(clock, 0);
  auto pacer = make_pacer(controller, true);
  send(*pacer, clock, 40, 50ms);
  throttle(*pacer);
  clock.advance(5s);  // a full bucket
  const double rate = controller->state(k_op).rate;
  std::vector<SendTime> sent;
  for (int i = 0; i < 100; ++i) sent.push_back(pacer->before_attempt(k_op));  // no answers yet
  // Back to back, as fast as the bucket allows: its capacity at once, then `rate` a second.
  EXPECT_NEAR(seconds(sent.back()) - seconds(sent.front()), (100 - std::ceil(rate)) / rate, 0.1);
}

TEST(RateControl, TheCapIsNeverExceededInEitherMode) {
  for (bool adaptive : {true, false}) {
    testing::ManualClock clock;
    auto controller = std::make_shared<RateController>(clock, 5);
    auto pacer = make_pacer(controller, adaptive);
    std::vector<SendTime> sent;
    for (int i = 0; i < 200; ++i) {
      sent.push_back(pacer->before_attempt(i % 2 == 0 ? "DescribeImages" : "BatchDeleteImage"));
      pacer->after_attempt(k_op, sent.back(), false);
    }
    // All operations together: 5 a second plus a burst of one second's worth, in any window.
    EXPECT_LE(busiest_window(sent, 1s), 10) << adaptive;
    EXPECT_LE(busiest_window(sent, 10s), 5 * 10 + 5) << adaptive;
    EXPECT_NEAR(seconds(sent.back()), (200 - 5) / 5.0, 1e-3) << adaptive;
  }
}

TEST(RateControl, StandardModeNeverLimitsByThrottles) {
  testing::ManualClock clock;
  auto controller = std::make_shared<RateController>(clock, 0);
  auto standard = make_pacer(controller, false);
  send(*standard, clock, 40, 50ms);
  for (int i = 0; i < 10; ++i) throttle(*standard);
  EXPECT_EQ(send(*standard, clock, 100, 0ms), 0s);
  EXPECT_FALSE(controller->state(k_op).limited);
}

TEST(RateControl, OperationsHaveTheirOwnRates) {
  testing::ManualClock clock;
  auto controller = std::make_shared<RateController>(clock, 0);
  auto pacer = make_pacer(controller, true);
  send(*pacer, clock, 40, 50ms);
  throttle(*pacer);
  EXPECT_TRUE(controller->state(k_op).limited);
  EXPECT_FALSE(controller->state("BatchDeleteImage").limited);
  for (int i = 0; i < 100; ++i) pacer->before_attempt("BatchDeleteImage");
  EXPECT_TRUE(clock.sleeps().empty());
}

TEST(RateControllers, OneControllerPerKeySharedByAllItsClients) {
  testing::ManualClock clock;
  RateControllers controllers(clock);
  auto a = make_pacer(controllers.controller("https://ecr eu-west-1 profile default", 0), true);
  auto b = make_pacer(controllers.controller("https://ecr eu-west-1 profile default", 0), true);
  auto other = make_pacer(controllers.controller("https://ecr us-east-1 profile default", 0), true);
  EXPECT_EQ(controllers.controller("https://ecr eu-west-1 profile default", 0),
            controllers.controller("https://ecr eu-west-1 profile default", 0));
  send(*a, clock, 40, 50ms);
  throttle(*a);
  clock.advance(10s);
  // b shares a's limit: its burst is one bucket, then it waits.
  EXPECT_GT(send(*b, clock, 50, 0ms), 0s);
  // The other key was never throttled.
  EXPECT_EQ(send(*other, clock, 50, 0ms), 0s);
}

TEST(RateControllers, TheLowestCapAskedForWins) {
  testing::ManualClock clock;
  RateControllers controllers(clock);
  EXPECT_EQ(controllers.controller("k", 0)->cap(), 0);
  EXPECT_EQ(controllers.controller("k", 8)->cap(), 8);
  EXPECT_EQ(controllers.controller("k", 20)->cap(), 8);
  EXPECT_EQ(controllers.controller("k", 0)->cap(), 8);
  EXPECT_EQ(controllers.controller("k", 2)->cap(), 2);
}

TEST(RateControllers, ThreadsOfOneKeyShareTheCap) {
  testing::ManualClock clock;
  RateControllers controllers(clock);
  std::mutex mutex;
  std::vector<SendTime> sent;
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&] {
      auto pacer = make_pacer(controllers.controller("k", 10), true);  // a client per worker
      for (int i = 0; i < 25; ++i) {
        const SendTime t = pacer->before_attempt(k_op);
        pacer->after_attempt(k_op, t, false);
        std::lock_guard lock(mutex);
        sent.push_back(t);
      }
    });
  }
  for (auto& w : workers) w.join();
  ASSERT_EQ(sent.size(), 100u);
  // The manual clock moves on every worker's sleep, so time runs fast here: the sends can only be
  // sparser than the cap, never denser.
  EXPECT_LE(busiest_window(sent, 1s), 20);
  EXPECT_GE(seconds(*std::max_element(sent.begin(), sent.end())), (100 - 10) / 10.0 - 1e-3);
}

}  // namespace
}  // namespace regsweep
