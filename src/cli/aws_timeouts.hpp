// The options of AWS calls, given on every command that talks to AWS and as settings in a `run`
// config (aws/session.hpp says what each does and what holds when it is unset):
//   --cli-connect-timeout, --cli-read-timeout (settings.connect_timeout / read_timeout): the AWS
//     CLI's names and meaning: seconds (fractions allowed), 0 for no timeout;
//   --max-requests-per-second (settings.max_requests_per_second): a cap on the calls to each
//     registry (account and region), all operations together, in any retry mode.
// A negative, non-finite or absurd value is a usage error (exit 2) naming the flag or the key.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace regsweep {
struct AwsSessionOptions;
}

namespace regsweep::cli {

struct AwsTimeouts {
  std::optional<std::chrono::milliseconds> connect;  // nullopt: the session's default
  std::optional<std::chrono::milliseconds> read;
  std::optional<double> max_requests_per_second;  // nullopt: no cap

  void apply_to(AwsSessionOptions& session) const;
  // The values given in `flags` replace these (flags over a config's settings).
  void override_with(const AwsTimeouts& flags);
};

// Declares --cli-connect-timeout, --cli-read-timeout and --max-requests-per-second in `group`;
// with `excludes` (e.g. --snapshot) they cannot be combined with it.
void add_aws_timeout_options(CLI::App& sub, AwsTimeouts& timeouts, const std::string& group,
                             CLI::Option* excludes = nullptr);

// Seconds as text ("0.3", "20") -> milliseconds, rounded up (so 0.0001 is 1 ms, never "no
// timeout"). invalid_input "<name>: ..." unless the whole text is a plain decimal number from 0 to
// 86400: no NaN, infinity, exponent or unit.
Result<std::chrono::milliseconds> parse_timeout_seconds(std::string_view text,
                                                        std::string_view name);

// Requests a second as text ("5", "0.5"). invalid_input "<name>: ..." unless the whole text is a
// plain decimal number greater than 0 (and finite): no NaN, infinity, exponent or unit.
Result<double> parse_requests_per_second(std::string_view text, std::string_view name);

}  // namespace regsweep::cli
