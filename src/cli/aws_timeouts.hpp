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

#include "aws/timeouts.hpp"
#include "util/result.hpp"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace regsweep::cli {

// Declares --cli-connect-timeout and --cli-read-timeout in `group`; with `excludes` (e.g.
// --snapshot) they cannot be combined with it.
void add_aws_timeout_options(CLI::App& sub, AwsTimeouts& timeouts, const std::string& group,
                             CLI::Option* excludes = nullptr);

}  // namespace regsweep::cli
