// Feeds arbitrary bytes to both manifest readers: the ECR backend's (BatchGetImage answers) and the
// snapshot reader's (imageManifest strings). Beyond "no crash, no sanitizer report": the ECR reader
// keeps an accepted body byte-exact (the journal stores it for restores) and names no empty child.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "registry/ecr/ecr_json.hpp"
#include "registry/snapshot/snapshot_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  regsweep::ImageRecord record;
  record.digest = "sha256:00";
  if (regsweep::ecr::apply_manifest(record, text).ok()) {
    if (record.manifest != text) std::abort();
    for (const auto& child : record.child_digests)
      if (child.empty()) std::abort();
  }
  (void)regsweep::read_manifest_refs(text);
  return 0;
}
