// Feeds arbitrary bytes to the kubeconfig reader (YAML). Relative file references resolve under a
// directory that does not exist, so the fuzzer reads no files of the machine by accident. A
// kubeconfig that is accepted names a server. An `exec:` user is only parsed (parse_kubeconfig
// never runs the plugin; the source does, when it collects), so fuzz input never starts a program.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "inuse/kubernetes_api.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto access = regsweep::parse_kubeconfig(text, "fuzz.kubeconfig", "", "/nonexistent-fuzz-dir");
  if (access.ok() && access->server.empty()) __builtin_trap();
  return 0;
}
