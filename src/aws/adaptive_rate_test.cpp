// The arithmetic of adaptive rate control: the CUBIC curve and the measured send rate.
#include "aws/adaptive_rate.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace regsweep {
namespace {

TEST(CubicRate, AThrottleCutsTheRateToBetaTimesTheSendingRate) {
  CubicRate cubic(0);
  EXPECT_DOUBLE_EQ(cubic.throttled(20, 10), 14);
  EXPECT_DOUBLE_EQ(cubic.w_max(), 20);
  EXPECT_DOUBLE_EQ(cubic.throttled(14, 11), 9.8);
}

TEST(CubicRate, GrowsBackAlongTheCubicCurveThroughWmax) {
  CubicRate cubic(0);
  cubic.throttled(20, 100);
  const double k = std::cbrt(20 * 0.3 / 0.4);  // when the curve is back at W_max
  EXPECT_NEAR(cubic.rate_at(100), 14, 1e-9);   // starts at beta x W_max
  EXPECT_NEAR(cubic.rate_at(100 + k), 20, 1e-9);
  EXPECT_NEAR(cubic.rate_at(100 + k / 2), 20 - 0.4 * std::pow(k / 2, 3), 1e-9);  // concave
  EXPECT_NEAR(cubic.rate_at(100 + k + 2), 20 + 0.4 * 8, 1e-9);                   // then convex
  EXPECT_LT(cubic.rate_at(100 + k / 2), cubic.rate_at(100 + k));
}

TEST(SendRateMeter, MeasuresEachWindowAndSmoothes) {
  SendRateMeter meter(0);
  double rate = 0;
  for (int i = 1; i <= 10; ++i) rate = meter.record(i * 0.05);  // 10 in 0.5 s: 20/s
  EXPECT_NEAR(rate, 20, 1e-9);
  for (int i = 1; i <= 5; ++i) rate = meter.record(0.5 + i * 0.1);  // 5 in 0.5 s: 10/s
  EXPECT_NEAR(rate, 0.8 * 10 + 0.2 * 20, 1e-9);
  EXPECT_NEAR(meter.rate(), rate, 1e-9);
}

TEST(SendRateMeter, BeforeTheFirstWindowEndsTheCountSoFarOverAWindowErringLow) {
  SendRateMeter meter(0);
  meter.record(0.01);
  meter.record(0.02);
  // 3 responses in 30 ms: counted over half a second (6/s), not 100/s, and not 0.
  EXPECT_NEAR(meter.record(0.03), 6, 1e-9);
}

}  // namespace
}  // namespace regsweep
