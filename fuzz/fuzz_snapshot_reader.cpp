// Differential fuzzing of the snapshot reader: parse_snapshot() (text search for the repositories,
// then a parallel parse of each, with fallbacks) must give exactly what the one-pass serial parse
// gives for any input: the same inventory (compared as written back out), or the same error
// message. A mismatch, a crash or a sanitizer report fails.
#include <simdjson.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "registry/snapshot/snapshot_parser.hpp"
#include "registry/snapshot/snapshot_reader.hpp"
#include "registry/snapshot/snapshot_writer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto fast = regsweep::parse_snapshot(text, "fuzz.json");
  const simdjson::padded_string padded(text);
  const auto serial = regsweep::snapshot_detail::SnapshotParser("fuzz.json", padded).run();
  if (fast.ok() != serial.ok()) std::abort();
  if (fast.ok()) {
    if (regsweep::snapshot_to_json(*fast) != regsweep::snapshot_to_json(*serial)) std::abort();
  } else if (fast.error().message != serial.error().message) {
    std::abort();
  }
  return 0;
}
