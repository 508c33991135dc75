#include "cli/cli_support.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

namespace regsweep::cli {

int exit_code_for(const Error& error) {
  return error.code == ErrorCode::invalid_input ? 2 : 1;
}

int report_error(std::string_view command, const Error& error) {
  std::cerr << "regsweep " << command << ": " << error.message << '\n';
  return exit_code_for(error);
}

Result<EpochMillis> now_option(const std::string& text, Clock& clock) {
  if (text.empty()) return clock.now();
  if (auto parsed = parse_timestamp(text)) return *parsed;
  return make_error(
      ErrorCode::invalid_input,
      "--now: \"" + text + "\" is not a time; write e.g. 2026-11-01T00:00:00Z or 1793491200");
}

Status refuse_future_now(EpochMillis now, bool allowed, Clock& clock_source) {
  const EpochMillis clock = clock_source.now();
  if (allowed || now <= clock + 5 * 60'000) return ok_status();
  return make_error(ErrorCode::invalid_input,
                    "--now: " + format_iso8601(now) + " is later than the clock (" +
                        format_iso8601(clock) +
                        "); deleting as of a future time would expire images early. Preview it "
                        "with `regsweep plan --now ...`, or pass --allow-future-now");
}

bool write_stdout(std::string_view text) {
  return std::fwrite(text.data(), 1, text.size(), stdout) == text.size();
}

}  // namespace regsweep::cli
