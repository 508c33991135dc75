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

}  // namespace regsweep::cli
