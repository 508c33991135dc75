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

}  // namespace

void AwsTimeouts::apply_to(AwsSessionOptions& session) const {
  if (connect) session.connect_timeout = *connect;
  if (read) session.read_timeout = *read;
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

}  // namespace regsweep
