// Small pieces every subcommand shares (input files: util/input_file.hpp): mapping errors to exit
// codes and printing them (only the CLI prints), the clock (read here, never in the core), and
// stdout.
#pragma once

#include <string>
#include <string_view>

#include "util/clock.hpp"
#include "util/result.hpp"
#include "util/time.hpp"

namespace regsweep::cli {

// invalid_input -> 2 (bad usage or input); everything else -> 1 (an operation failed).
int exit_code_for(const Error& error);

// Prints "regsweep <command>: <message>" to stderr and returns exit_code_for(error).
int report_error(std::string_view command, const Error& error);

// The value of a --now flag: empty means the clock; otherwise ISO 8601 or epoch seconds, and
// anything else is invalid_input naming the flag and an example.
Result<EpochMillis> now_option(const std::string& text, Clock& clock);

// apply and run delete now: evaluating the policy as of a later time would expire images early,
// so a --now more than 5 minutes after the clock is refused unless asked for (--allow-future-now).
// Fresh images stay protected by the real clock either way (plan/protect.hpp).
Status refuse_future_now(EpochMillis now, bool allowed, Clock& clock);

// Writes to stdout unbuffered by iostreams (large outputs); false when stdout is gone.
bool write_stdout(std::string_view text);

}  // namespace regsweep::cli
