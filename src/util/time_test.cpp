#include "util/time.hpp"

#include <gtest/gtest.h>

namespace regsweep {
namespace {

TEST(ParseTimestamp, AcceptsEpochSecondsAndIso8601) {
  EXPECT_EQ(parse_timestamp("1714564800"), 1714564800000);
  EXPECT_EQ(parse_timestamp("1714564800.25"), 1714564800250);
  EXPECT_EQ(parse_timestamp("2024-05-01T12:00:00Z"), 1714564800000);
  EXPECT_EQ(parse_timestamp("2024-05-01T14:00:00+02:00"), 1714564800000);
  EXPECT_EQ(parse_timestamp("2024-05-01T12:00:00.5Z"), 1714564800500);
  EXPECT_EQ(parse_timestamp("2024-05-01"), 1714521600000);
}

TEST(ParseTimestamp, RejectsGarbageAndZonelessTimes) {
  EXPECT_FALSE(parse_timestamp(""));
  EXPECT_FALSE(parse_timestamp("yesterday"));
  EXPECT_FALSE(parse_timestamp("2024-05-01T12:00:00"));
  EXPECT_FALSE(parse_timestamp("2024-13-01"));
}

TEST(FormatIso8601, RoundTrips) {
  EXPECT_EQ(format_iso8601(1714564800000), "2024-05-01T12:00:00Z");
  EXPECT_EQ(format_iso8601(1714564800250), "2024-05-01T12:00:00.250Z");
  EXPECT_EQ(format_iso8601(0), "1970-01-01T00:00:00Z");
}

TEST(ParseDuration, Units) {
  EXPECT_EQ(parse_duration("14d"), 14 * k_millis_per_day);
  EXPECT_EQ(parse_duration("1h"), 3'600'000);
  EXPECT_EQ(parse_duration("2w"), 14 * k_millis_per_day);
  EXPECT_FALSE(parse_duration("14"));
  EXPECT_FALSE(parse_duration("d"));
  EXPECT_FALSE(parse_duration("-1d"));
}

}  // namespace
}  // namespace regsweep
