// --cli-connect-timeout and --cli-read-timeout, the AWS CLI's names and meaning: seconds (fractions
// allowed), 0 for no timeout; given on every command that talks to AWS, and as settings.
// connect_timeout / settings.read_timeout in a `run` config. Unset, the AWS session's defaults hold
// (aws/session.hpp says which and why). A negative, non-finite or absurd value is a usage error
// (exit 2) naming the flag or the config key.
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

  void apply_to(AwsSessionOptions& session) const;
};

// Declares --cli-connect-timeout and --cli-read-timeout in `group`; with `excludes` (e.g.
// --snapshot) they cannot be combined with it.
void add_aws_timeout_options(CLI::App& sub, AwsTimeouts& timeouts, const std::string& group,
                             CLI::Option* excludes = nullptr);

// Seconds as text ("0.3", "20") -> milliseconds, rounded up (so 0.0001 is 1 ms, never "no
// timeout"). invalid_input "<name>: ..." unless the whole text is a plain decimal number from 0 to
// 86400: no NaN, infinity, exponent or unit.
Result<std::chrono::milliseconds> parse_timeout_seconds(std::string_view text,
                                                        std::string_view name);

}  // namespace regsweep::cli
