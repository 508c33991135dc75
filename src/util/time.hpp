// Time as plain values: epoch milliseconds (UTC). The pure core never reads a clock; callers pass
// `now` in. Parsing accepts what ECR and the AWS CLI print: epoch seconds (integer or fractional,
// as JSON numbers or strings) and ISO 8601 / RFC 3339 with a 'Z' or a numeric offset.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace regsweep {

using EpochMillis = std::int64_t;

constexpr EpochMillis k_millis_per_day = 86'400'000;

// The times regsweep reads and writes: those ISO 8601's four-digit years hold, so that every time
// it accepts it can also write and read back (journals, snapshots, plans).
constexpr EpochMillis k_earliest_time = -62'167'219'200'000;  // 0000-01-01T00:00:00Z
constexpr EpochMillis k_latest_time = 253'402'300'799'999;    // 9999-12-31T23:59:59.999Z

// "2024-05-01T12:00:00Z", "2024-05-01T12:00:00.123+02:00", "2024-05-01" (midnight UTC),
// "1714564800", "1714564800.5". nullopt for anything else, and for times outside
// [k_earliest_time, k_latest_time].
std::optional<EpochMillis> parse_timestamp(std::string_view text);
// nullopt when not finite or outside [k_earliest_time, k_latest_time].
std::optional<EpochMillis> epoch_seconds_to_millis(double seconds);

// "2024-05-01T12:00:00Z" (milliseconds shown only when non-zero).
std::string format_iso8601(EpochMillis t);
// The same text written at `out` (room for k_iso8601_max bytes, no terminator); returns its end.
// For writers of millions of timestamps: no allocation, no printf.
constexpr std::size_t k_iso8601_max = 40;
char* write_iso8601(char* out, EpochMillis t);

// Durations as users write them: "90d", "36h", "15m", "2w", "30s". Used by --older-than, --min-age.
std::optional<EpochMillis> parse_duration(std::string_view text);

}  // namespace regsweep
