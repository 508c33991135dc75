#include "cli/aws_timeouts.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "aws/session.hpp"

namespace regsweep::cli {
namespace {

// A day: beyond it a timeout is surely a typo (and milliseconds would overflow soon after).
constexpr double k_max_seconds = 86'400;

void add_one(CLI::App& sub, const std::string& name, std::optional<std::chrono::milliseconds>& out,
             const std::string& help, const std::string& group, CLI::Option* excludes) {
  auto* option = sub.add_option_function<std::string>(
      name,
      [&out, name](const std::string& text) {
        // Already validated by the check below, which runs first.
        if (auto value = parse_timeout_seconds(text, name)) out = *value;
      },
      help);
  option->type_name("SECONDS")->group(group);
  option->check(CLI::Validator(
      [name](std::string& text) -> std::string {
        auto value = parse_timeout_seconds(text, name);
        if (value) return {};
        // CLI11 prefixes the option's name itself.
        return value.error().message.substr(name.size() + 2);
      },
      ""));
  if (excludes != nullptr) option->excludes(excludes);
}

}  // namespace

void AwsTimeouts::apply_to(AwsSessionOptions& session) const {
  if (connect) session.connect_timeout = *connect;
  if (read) session.read_timeout = *read;
}

void add_aws_timeout_options(CLI::App& sub, AwsTimeouts& timeouts, const std::string& group,
                             CLI::Option* excludes) {
  const AwsSessionOptions defaults;
  const auto seconds = [](std::chrono::milliseconds ms) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", static_cast<double>(ms.count()) / 1000.0);
    return std::string(text);
  };
  add_one(sub, "--cli-connect-timeout", timeouts.connect,
          "Seconds to connect (TCP and TLS) to an AWS endpoint, per attempt; 0: no limit "
          "(default " +
              seconds(defaults.connect_timeout) + ")",
          group, excludes);
  add_one(sub, "--cli-read-timeout", timeouts.read,
          "Seconds without receiving anything before an attempt of an AWS call fails; 0: no "
          "limit (default " +
              seconds(defaults.read_timeout) + ")",
          group, excludes);
}

Result<std::chrono::milliseconds> parse_timeout_seconds(std::string_view text,
                                                        std::string_view name) {
  const std::string copy(text);
  // Plain decimal numbers only: strtod alone would also take "nan", "inf", hex and "1e3".
  const bool plain = !copy.empty() && copy.find_first_not_of("0123456789.-+") == std::string::npos;
  char* end = nullptr;
  const double seconds = plain ? std::strtod(copy.c_str(), &end) : 0.0;
  if (plain && end == copy.c_str() + copy.size() && std::isfinite(seconds) && seconds >= 0 &&
      seconds <= k_max_seconds)
    return std::chrono::milliseconds(static_cast<long long>(std::ceil(seconds * 1000.0)));
  const bool printable = copy.size() <= 40 && std::all_of(copy.begin(), copy.end(), [](char c) {
                           return static_cast<unsigned char>(c) >= 0x20 && c != 0x7f;
                         });
  return make_error(ErrorCode::invalid_input,
                    std::string(name) + ": " + (printable ? "\"" + copy + "\"" : "the value") +
                        " is not a number of seconds from 0 to 86400; write e.g. 10 or 0.5 (0: "
                        "no timeout)");
}

}  // namespace regsweep::cli
