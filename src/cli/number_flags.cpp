#include "cli/number_flags.hpp"

#include <cmath>
#include <cstdlib>
#include <string>

namespace regsweep::cli {
namespace {

std::string format_limit(double value) {
  std::string text = std::to_string(value);
  text.erase(text.find_last_not_of('0') + 1);
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

CLI::Validator finite_check(double min, double max, std::string description) {
  return CLI::Validator(
      [min, max](std::string& input) -> std::string {
        char* end = nullptr;
        const double value = std::strtod(input.c_str(), &end);
        if (input.empty() || end != input.c_str() + input.size() || !std::isfinite(value))
          return "\"" + input + "\" is not a finite number";
        if (value < min || value > max) {
          return "\"" + input + "\" is out of range; give a number from " + format_limit(min) +
                 (std::isinf(max) ? " up" : " to " + format_limit(max));
        }
        return {};
      },
      std::move(description));
}

}  // namespace

CLI::Validator finite_at_least(double min) {
  return finite_check(min, HUGE_VAL, "NUMBER >= " + format_limit(min));
}

CLI::Validator finite_between(double min, double max) {
  return finite_check(min, max,
                      "NUMBER in [" + format_limit(min) + " - " + format_limit(max) + "]");
}

}  // namespace regsweep::cli
