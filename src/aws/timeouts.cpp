#include "aws/timeouts.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>

#include "aws/session.hpp"

namespace regsweep {
namespace {

// A day: beyond it a timeout is surely a typo (and milliseconds would overflow soon after).
constexpr double k_max_seconds = 86'400;

bool printable(const std::string& text) {
  return text.size() <= 40 && std::all_of(text.begin(), text.end(), [](char c) {
           return static_cast<unsigned char>(c) >= 0x20 && c != 0x7f;
         });
}

// Plain decimal numbers only: strtod alone would also take "nan", "inf", hex and "1e3".
std::optional<double> plain_decimal(const std::string& text) {
  if (text.empty() || text.find_first_not_of("0123456789.-+") != std::string::npos)
    return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

}  // namespace

void AwsTimeouts::apply_to(AwsSessionOptions& session) const {
  if (connect) session.connect_timeout = *connect;
  if (read) session.read_timeout = *read;
  if (max_requests_per_second) session.max_requests_per_second = *max_requests_per_second;
}

void AwsTimeouts::override_with(const AwsTimeouts& flags) {
  if (flags.connect) connect = flags.connect;
  if (flags.read) read = flags.read;
  if (flags.max_requests_per_second) max_requests_per_second = flags.max_requests_per_second;
}

Result<std::chrono::milliseconds> parse_timeout_seconds(std::string_view text,
                                                        std::string_view name) {
  const std::string copy(text);
  const auto seconds = plain_decimal(copy);
  if (seconds && *seconds >= 0 && *seconds <= k_max_seconds)
    return std::chrono::milliseconds(static_cast<long long>(std::ceil(*seconds * 1000.0)));
  return make_error(ErrorCode::invalid_input,
                    std::string(name) + ": " +
                        (printable(copy) ? "\"" + copy + "\"" : "the value") +
                        " is not a number of seconds from 0 to 86400; write e.g. 10 or 0.5 (0: "
                        "no timeout)");
}

Result<double> parse_requests_per_second(std::string_view text, std::string_view name) {
  const std::string copy(text);
  const auto value = plain_decimal(copy);
  if (value && *value > 0) return *value;
  return make_error(ErrorCode::invalid_input,
                    std::string(name) + ": " +
                        (printable(copy) ? "\"" + copy + "\"" : "the value") +
                        " is not a number of requests per second greater than 0; write e.g. 5 "
                        "or 0.5 (leave it out for no cap)");
}

}  // namespace regsweep
