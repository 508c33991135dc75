// Overrides of an AWS session's call options: connect and read timeouts (--cli-connect-timeout
// and --cli-read-timeout, the AWS CLI's names and meaning; settings.connect_timeout /
// settings.read_timeout in a run config: seconds, fractions allowed, 0 for no timeout) and the
// request cap (--max-requests-per-second, settings.max_requests_per_second). Unset, the session's
// defaults hold (aws/session.hpp says which and why).
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "util/result.hpp"

namespace regsweep {

struct AwsSessionOptions;

struct AwsTimeouts {
  std::optional<std::chrono::milliseconds> connect;  // nullopt: the session's default
  std::optional<std::chrono::milliseconds> read;
  std::optional<double> max_requests_per_second;  // nullopt: no cap (aws/rate_control.hpp)

  void apply_to(AwsSessionOptions& session) const;
  // The values given in `flags` replace these (flags over a config's settings).
  void override_with(const AwsTimeouts& flags);
};

// Seconds as text ("0.3", "20") -> milliseconds, rounded up (so 0.0001 is 1 ms, never "no
// timeout"). invalid_input "<name>: ..." unless the whole text is a plain decimal number from 0 to
// 86400: no NaN, infinity, exponent or unit.
Result<std::chrono::milliseconds> parse_timeout_seconds(std::string_view text,
                                                        std::string_view name);

// Requests a second as text ("5", "0.5"). invalid_input "<name>: ..." unless the whole text is a
// plain decimal number greater than 0 (and finite): no NaN, infinity, exponent or unit.
Result<double> parse_requests_per_second(std::string_view text, std::string_view name);

}  // namespace regsweep
