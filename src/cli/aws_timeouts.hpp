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

#include "aws/timeouts.hpp"
#include "util/result.hpp"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace regsweep::cli {

// Declares --cli-connect-timeout, --cli-read-timeout and --max-requests-per-second in `group`;
// with `excludes` (e.g. --snapshot) they cannot be combined with it.
void add_aws_timeout_options(CLI::App& sub, AwsTimeouts& timeouts, const std::string& group,
                             CLI::Option* excludes = nullptr);

}  // namespace regsweep::cli
