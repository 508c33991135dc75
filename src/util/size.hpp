// Byte sizes and money as people read them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace regsweep {

// "0 B", "512 B", "1.5 KiB", "3.21 GiB".
std::string format_bytes(std::uint64_t bytes);

// ECR bills storage per GB-month; AWS billing's "GB" is 2^30 bytes, so that is what we use.
double monthly_cost(std::uint64_t bytes, double price_per_gb_month);

// "1,418": the one number format of every table and message (thousands separated by commas).
std::string thousands(std::uint64_t n);

// "1 repository", "3 repositories", "1,934 images": a count with its noun, thousands separated.
std::string counted(std::uint64_t count, std::string_view singular, std::string_view plural);

}  // namespace regsweep
