// Feeds arbitrary bytes to the Kubernetes workload JSON reader. Beyond "no crash, no sanitizer
// report": every entry it returns is a parsed reference whose raw text parses to the same thing,
// and a set it returns survives the saved in-use file format unchanged.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "inuse/in_use_file.hpp"
#include "inuse/source.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto set = regsweep::parse_kubernetes_json(text, "fuzz.json");
  if (!set) return 0;
  for (const auto& entry : set->entries) {
    auto ref = regsweep::parse_image_reference(entry.raw);
    if (!ref || regsweep::to_string(*ref) != regsweep::to_string(entry.reference)) std::abort();
  }
  const std::string saved = regsweep::to_in_use_json(*set, 0);
  auto back = regsweep::parse_in_use_json(saved, "saved.json");
  if (!back || back->entries.size() != set->entries.size()) std::abort();
  return 0;
}
