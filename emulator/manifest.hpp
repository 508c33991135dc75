// What the emulator reads out of a manifest body: its media type, the children of an index, the
// subject, artifact type and annotations of an artifact (ListImageReferrers) and the size ECR
// reports (config plus layers). Also builds the stand-in
// manifest served for images that were seeded without one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store.hpp"

namespace ecr_emulator {

struct ManifestInfo {
  std::string media_type;             // top-level "mediaType" (may be empty)
  std::string config_media_type;      // becomes artifactMediaType
  std::vector<std::string> children;  // manifests[].digest
  std::string subject;
  std::string artifact_type;  // top-level "artifactType" (OCI 1.1; may be empty)
  std::vector<std::pair<std::string, std::string>> annotations;  // string-valued "annotations"
  std::int64_t size = 0;                                         // config.size + sum(layers[].size)
  std::vector<std::string> blobs;  // config.digest and layers[].digest: what PutImage needs there
};

// nullopt when the text is not a JSON object.
std::optional<ManifestInfo> inspect_manifest(const std::string& text);
bool is_index_media_type(const std::string& media_type);
// A valid Docker v2 / OCI manifest standing in for a seeded image without a body. Its sha256 is
// not the image's digest (that cannot be), which the docs note.
std::string synthetic_manifest(const Image& image);

}  // namespace ecr_emulator
