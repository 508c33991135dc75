// Checks for numeric flags. CLI11's own (NonNegativeNumber, Range) let "nan" through (every
// comparison with NaN is false), and a NaN limit silently switches a safety check off, so every
// numeric flag of regsweep is checked here: finite, and within its range.
#pragma once

#include <CLI/CLI.hpp>

namespace regsweep::cli {

// A finite number >= min ("nan", "inf", "-1" refused with the flag's name).
CLI::Validator finite_at_least(double min);
// A finite number within [min, max].
CLI::Validator finite_between(double min, double max);

}  // namespace regsweep::cli
