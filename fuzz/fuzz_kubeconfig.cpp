// Feeds arbitrary bytes to the kubeconfig reader (YAML). Relative file references resolve under a
// directory that does not exist, so the fuzzer reads no files of the machine by accident. A
// kubeconfig that is accepted names a server.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "inuse/kubernetes_api.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto access = regsweep::parse_kubeconfig(text, "fuzz.kubeconfig", "", "/nonexistent-fuzz-dir");
  (void)access;
  return 0;
}
