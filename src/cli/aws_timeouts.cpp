#include "cli/aws_timeouts.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "aws/session.hpp"

namespace regsweep::cli {
namespace {

// One option whose text `parse` checks and converts; `unit` is its type name in --help.
template <typename T, typename Parse>
void add_one(CLI::App& sub, const std::string& name, std::optional<T>& out, Parse parse,
             const char* unit, const std::string& help, const std::string& group,
             CLI::Option* excludes) {
  auto* option = sub.add_option_function<std::string>(
      name,
      [&out, name, parse](const std::string& text) {
        // Already validated by the check below, which runs first.
        if (auto value = parse(text, name)) out = *value;
      },
      help);
  option->type_name(unit)->group(group);
  option->check(CLI::Validator(
      [name, parse](std::string& text) -> std::string {
        auto value = parse(text, name);
        if (value) return {};
        // CLI11 prefixes the option's name itself.
        return value.error().message.substr(name.size() + 2);
      },
      ""));
  if (excludes != nullptr) option->excludes(excludes);
}

}  // namespace

void add_aws_timeout_options(CLI::App& sub, AwsTimeouts& timeouts, const std::string& group,
                             CLI::Option* excludes) {
  const AwsSessionOptions defaults;
  const auto seconds = [](std::chrono::milliseconds ms) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", static_cast<double>(ms.count()) / 1000.0);
    return std::string(text);
  };
  add_one(sub, "--cli-connect-timeout", timeouts.connect, parse_timeout_seconds, "SECONDS",
          "Seconds to connect (TCP and TLS) to an AWS endpoint, per attempt; 0: no limit "
          "(default " +
              seconds(defaults.connect_timeout) + ")",
          group, excludes);
  add_one(sub, "--cli-read-timeout", timeouts.read, parse_timeout_seconds, "SECONDS",
          "Seconds without receiving anything before an attempt of an AWS call fails; 0: no "
          "limit (default " +
              seconds(defaults.read_timeout) + ")",
          group, excludes);
  add_one(sub, "--max-requests-per-second", timeouts.max_requests_per_second,
          parse_requests_per_second, "N",
          "At most N AWS calls a second to each registry (account and region), all operations "
          "together, whatever the retry mode (default: no cap; adaptive mode slows down by "
          "itself when AWS throttles)",
          group, excludes);
}

}  // namespace regsweep::cli
