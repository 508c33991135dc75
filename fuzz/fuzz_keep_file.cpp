// Feeds arbitrary bytes to the keep-file parser and the in-use command output parser. Beyond "no
// crash, no sanitizer report": a keep file that parses has one entry per non-comment line, and its
// set round-trips through the saved in-use file format with kinds (tag, digest, image) intact.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "inuse/in_use_file.hpp"
#include "inuse/source.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)regsweep::parse_in_use_command_output(text, "fuzz");
  auto set = regsweep::parse_keep_file(text, "fuzz.txt");
  if (!set) return 0;
  auto back = regsweep::parse_in_use_json(regsweep::to_in_use_json(*set, 0), "saved.json");
  if (!back || back->entries.size() != set->entries.size()) std::abort();
  for (std::size_t i = 0; i < set->entries.size(); ++i) {
    if (back->entries[i].reference.bare() != set->entries[i].reference.bare() ||
        regsweep::to_string(back->entries[i].reference) !=
            regsweep::to_string(set->entries[i].reference)) {
      std::abort();
    }
  }
  return 0;
}
