#include "util/size.hpp"

#include <cstdio>

namespace regsweep {

std::string format_bytes(std::uint64_t bytes) {
  static constexpr const char* k_units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024.0 && unit < 5) {
    value /= 1024.0;
    ++unit;
  }
  char buf[32];
  if (unit == 0) {
    std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
  } else {
    std::snprintf(buf, sizeof buf,
                  value < 10    ? "%.2f %s"
                  : value < 100 ? "%.1f %s"
                                : "%.0f %s",
                  value, k_units[unit]);
  }
  return buf;
}

double monthly_cost(std::uint64_t bytes, double price_per_gb_month) {
  constexpr double k_bytes_per_gb = 1024.0 * 1024.0 * 1024.0;
  return static_cast<double>(bytes) / k_bytes_per_gb * price_per_gb_month;
}

std::string thousands(std::uint64_t n) {
  std::string digits = std::to_string(n);
  for (auto at = static_cast<std::ptrdiff_t>(digits.size()) - 3; at > 0; at -= 3)
    digits.insert(static_cast<std::size_t>(at), ",");
  return digits;
}

std::string counted(std::uint64_t count, std::string_view singular, std::string_view plural) {
  return thousands(count) + " " + std::string(count == 1 ? singular : plural);
}

}  // namespace regsweep
