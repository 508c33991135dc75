// Feeds arbitrary bytes to the journal reader. Beyond "no crash, no sanitizer report": every line
// is either a record or a reported bad line, and every record it reads writes back to a line that
// reads to the same line again.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "journal/journal.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto contents = regsweep::parse_journal(text);
  for (const auto& bad : contents.bad_lines) {
    if (bad.line == 0 || bad.problem.empty()) std::abort();
  }
  for (const auto& record : contents.records) {
    const std::string line = regsweep::to_journal_line(record);
    if (line.find('\n') != std::string::npos) std::abort();
    auto again = regsweep::parse_journal_line(line);
    if (!again || regsweep::to_journal_line(*again) != line) std::abort();
  }
  return 0;
}
