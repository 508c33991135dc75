#include "util/time.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

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

// Found by fuzz_journal_reader: epoch seconds far in the future were accepted, then written as a
// five-digit year that could not be read back. Every accepted time now fits four-digit years, so
// what is read can be written and read again.
TEST(ParseTimestamp, AcceptsOnlyTimesOfFourDigitYears) {
  EXPECT_EQ(parse_timestamp("0000-01-01T00:00:00Z"), k_earliest_time);
  EXPECT_EQ(parse_timestamp("9999-12-31T23:59:59.999Z"), k_latest_time);
  EXPECT_EQ(parse_timestamp("253402300799.999"), k_latest_time);
  EXPECT_EQ(parse_timestamp("-62167219200"), k_earliest_time);
  for (const char* text :
       {"99999999999999", "1e12", "1e300", "-1e300", "inf", "nan", "253402300800", "-62167219201",
        "9999-12-31T23:59:59-01:00", "0000-01-01T00:00:00+00:01"}) {
    EXPECT_FALSE(parse_timestamp(text)) << text;
  }
  EXPECT_FALSE(epoch_seconds_to_millis(9.3e18));  // beyond 64-bit milliseconds: no wrap-around
  for (const EpochMillis t : {k_earliest_time, k_latest_time, EpochMillis{0}})
    EXPECT_EQ(parse_timestamp(format_iso8601(t)), t);
}

TEST(FormatIso8601, RoundTrips) {
  EXPECT_EQ(format_iso8601(1714564800000), "2024-05-01T12:00:00Z");
  EXPECT_EQ(format_iso8601(1714564800250), "2024-05-01T12:00:00.250Z");
  EXPECT_EQ(format_iso8601(0), "1970-01-01T00:00:00Z");
}

// The hand-written writer replaced snprintf; it must print what snprintf printed, for any time,
// including the millisecond, pre-1970 and far-future cases.
TEST(FormatIso8601, MatchesThePrintfForm) {
  const auto reference = [](EpochMillis t) {
    std::int64_t seconds = t >= 0 ? t / 1000 : (t - 999) / 1000;
    const int millis = static_cast<int>(t - seconds * 1000);
    const std::int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
    const std::int64_t rem = seconds - days * 86400;
    // Hinnant's civil_from_days, as in time.cpp, so that only the formatting is compared.
    std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    char buf[64];
    std::snprintf(
        buf, sizeof buf,
        millis ? "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ" : "%04lld-%02u-%02uT%02d:%02d:%02dZ",
        static_cast<long long>(y), m, d, static_cast<int>(rem / 3600),
        static_cast<int>(rem % 3600 / 60), static_cast<int>(rem % 60), millis);
    return std::string(buf);
  };
  std::uint64_t state = 42;
  const auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 11;
  };
  for (int i = 0; i < 200000; ++i) {
    // Mostly the years ECR uses, some far out (year -5000 .. 20000), some at whole seconds.
    EpochMillis t = static_cast<EpochMillis>(next() % 4'000'000'000'000ULL);
    if (i % 4 == 1)
      t = static_cast<EpochMillis>(next() % 790'000'000'000'000ULL) - 220'000'000'000'000;
    if (i % 3 == 0) t -= t % 1000;
    ASSERT_EQ(format_iso8601(t), reference(t)) << t;
  }
  EXPECT_EQ(format_iso8601(-1), "1969-12-31T23:59:59.999Z");
  char buf[k_iso8601_max];
  EXPECT_EQ(std::string(buf, write_iso8601(buf, 1714564800250)), "2024-05-01T12:00:00.250Z");
}

TEST(ParseDuration, Units) {
  EXPECT_EQ(parse_duration("14d"), 14 * k_millis_per_day);
  EXPECT_EQ(parse_duration("1h"), 3'600'000);
  EXPECT_EQ(parse_duration("2w"), 14 * k_millis_per_day);
  EXPECT_FALSE(parse_duration("14"));
  EXPECT_FALSE(parse_duration("d"));
  EXPECT_FALSE(parse_duration("-1d"));
}

// Issue 11: --now 2026-02-30 silently became 2026-03-02.
TEST(ParseTimestamp, DaysThatDoNotExistInTheirMonthAreRefused) {
  EXPECT_EQ(parse_timestamp("2026-02-30"), std::nullopt);
  EXPECT_EQ(parse_timestamp("2026-02-29T00:00:00Z"), std::nullopt);
  EXPECT_EQ(parse_timestamp("2026-04-31"), std::nullopt);
  EXPECT_EQ(parse_timestamp("1900-02-29"), std::nullopt);
  EXPECT_TRUE(parse_timestamp("2028-02-29").has_value());
  EXPECT_TRUE(parse_timestamp("2000-02-29").has_value());
  EXPECT_TRUE(parse_timestamp("2026-12-31T23:59:59Z").has_value());
}

}  // namespace
}  // namespace regsweep
