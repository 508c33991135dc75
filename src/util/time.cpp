#include "util/time.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace regsweep {
namespace {

// 2026-02-30 is not a date (it would silently become 03-02).
int days_in_month(int year, int month) {
  static constexpr int k_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : k_days[month - 1];
}

// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

bool read_digits(std::string_view s, std::size_t& pos, std::size_t count, int& out) {
  if (pos + count > s.size()) return false;
  int value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  pos += count;
  out = value;
  return true;
}

std::optional<EpochMillis> parse_epoch_number(std::string_view text) {
  double seconds = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, seconds);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return epoch_seconds_to_millis(seconds);
}

std::optional<EpochMillis> parse_iso8601(std::string_view s) {
  std::size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_digits(s, pos, 4, year) || pos >= s.size() || s[pos++] != '-') return std::nullopt;
  if (!read_digits(s, pos, 2, month) || pos >= s.size() || s[pos++] != '-') return std::nullopt;
  if (!read_digits(s, pos, 2, day)) return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) return std::nullopt;
  EpochMillis millis = 0;
  int offset_minutes = 0;
  if (pos < s.size()) {
    if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return std::nullopt;
    ++pos;
    if (!read_digits(s, pos, 2, hour) || pos >= s.size() || s[pos++] != ':') return std::nullopt;
    if (!read_digits(s, pos, 2, minute)) return std::nullopt;
    if (pos < s.size() && s[pos] == ':') {
      ++pos;
      if (!read_digits(s, pos, 2, second)) return std::nullopt;
      if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
        ++pos;
        int scale = 100;
        std::size_t digits = 0;
        while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
          millis += (s[pos] - '0') * scale;
          scale /= 10;
          ++pos;
          ++digits;
        }
        if (digits == 0) return std::nullopt;
      }
    }
    if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
    if (pos == s.size()) return std::nullopt;  // a time without a zone is ambiguous
    if (s[pos] == 'Z' || s[pos] == 'z') {
      ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
      const int sign = s[pos++] == '-' ? -1 : 1;
      int oh = 0, om = 0;
      if (!read_digits(s, pos, 2, oh)) return std::nullopt;
      if (pos < s.size() && s[pos] == ':') ++pos;
      if (!read_digits(s, pos, 2, om)) return std::nullopt;
      offset_minutes = sign * (oh * 60 + om);
    } else {
      return std::nullopt;
    }
    if (pos != s.size()) return std::nullopt;
  }
  const std::int64_t days =
      days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const std::int64_t seconds =
      days * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
  return seconds * 1000 + millis;
}

}  // namespace

std::optional<EpochMillis> epoch_seconds_to_millis(double seconds) {
  // Checked before rounding: llround of a value beyond 64 bits has no meaningful result.
  const double millis = seconds * 1000.0;
  if (!std::isfinite(millis) || millis < static_cast<double>(k_earliest_time) - 0.5 ||
      millis > static_cast<double>(k_latest_time) + 0.5)
    return std::nullopt;
  const auto rounded = static_cast<EpochMillis>(std::llround(millis));
  if (rounded < k_earliest_time || rounded > k_latest_time) return std::nullopt;
  return rounded;
}

std::optional<EpochMillis> parse_timestamp(std::string_view text) {
  if (text.empty()) return std::nullopt;
  const auto t =
      text.size() >= 10 && text[4] == '-' ? parse_iso8601(text) : parse_epoch_number(text);
  // An offset can carry 0000-01-01 or 9999-12-31 across the edge of the four-digit years.
  if (!t || *t < k_earliest_time || *t > k_latest_time) return std::nullopt;
  return t;
}

namespace {

char* write_digits(char* out, unsigned value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out + width;
}

}  // namespace

char* write_iso8601(char* out, EpochMillis t) {
  std::int64_t seconds = t >= 0 ? t / 1000 : (t - 999) / 1000;
  const int millis = static_cast<int>(t - seconds * 1000);
  std::int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
  std::int64_t rem = seconds - days * 86400;
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days, y, m, d);
  if (y >= 0 && y <= 9999) {
    out = write_digits(out, static_cast<unsigned>(y), 4);
  } else {  // outside printf's "%04lld" fast case: let snprintf decide the width and sign
    char year[24];
    const int n = std::snprintf(year, sizeof year, "%04lld", static_cast<long long>(y));
    std::memcpy(out, year, static_cast<std::size_t>(n));
    out += n;
  }
  *out++ = '-';
  out = write_digits(out, m, 2);
  *out++ = '-';
  out = write_digits(out, d, 2);
  *out++ = 'T';
  out = write_digits(out, static_cast<unsigned>(rem / 3600), 2);
  *out++ = ':';
  out = write_digits(out, static_cast<unsigned>(rem % 3600 / 60), 2);
  *out++ = ':';
  out = write_digits(out, static_cast<unsigned>(rem % 60), 2);
  if (millis != 0) {
    *out++ = '.';
    out = write_digits(out, static_cast<unsigned>(millis), 3);
  }
  *out++ = 'Z';
  return out;
}

std::string format_iso8601(EpochMillis t) {
  char buf[k_iso8601_max];
  return std::string(buf, write_iso8601(buf, t));
}

std::optional<EpochMillis> parse_duration(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  const char unit = text.back();
  std::int64_t count = 0;
  const auto* end = text.data() + text.size() - 1;
  const auto [ptr, ec] = std::from_chars(text.data(), end, count);
  if (ec != std::errc() || ptr != end || count < 0) return std::nullopt;
  std::int64_t unit_ms = 0;
  switch (unit) {
    case 's':
      unit_ms = 1000;
      break;
    case 'm':
      unit_ms = 60'000;
      break;
    case 'h':
      unit_ms = 3'600'000;
      break;
    case 'd':
      unit_ms = k_millis_per_day;
      break;
    case 'w':
      unit_ms = 7 * k_millis_per_day;
      break;
    default:
      return std::nullopt;
  }
  if (count > INT64_MAX / unit_ms) return std::nullopt;
  return count * unit_ms;
}

}  // namespace regsweep
