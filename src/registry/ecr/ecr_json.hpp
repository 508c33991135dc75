// ECR's JSON shapes <-> our model (docs/research/ecr-api.md §2). Reading is lenient the way AWS
// asks clients to be: absent, null and empty are the same, unknown members and enum values are
// ignored, timestamps are epoch-second numbers (also in E-notation, 1.688712875E9) or, for
// robustness, ISO strings. Reading is strict where a wrong guess would be dangerous: an imageDetail
// without a digest, or a manifest that is not JSON, is an error rather than a silently empty
// record.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/image.hpp"
#include "registry/registry.hpp"
#include "util/result.hpp"

namespace regsweep::ecr {

// The response body of `operation` as a JSON object; an internal error naming the operation when
// it is not one (e.g. a proxy's HTML page that slipped through with status 200).
Result<nlohmann::json> parse_response(std::string_view operation, const std::string& body);

// One ImageDetail -> ImageRecord (every field regsweep uses, incl. imageStatus, lastArchivedAt,
// lastActivatedAt and subjectManifestDigest). `where` names the record in errors.
Result<ImageRecord> image_from_detail(const nlohmann::json& detail, std::string_view where);

// Fills child_digests (an index's manifests[].digest) and subject_digest (subject.digest) from a
// manifest body, and keeps the body byte-exact in record.manifest.
Status apply_manifest(ImageRecord& record, std::string manifest);

// Whether the manifest must be read to know the image's relations: image indexes, OCI artifact
// manifests, and images whose artifactMediaType is not an ordinary container config (signatures,
// SBOMs, attestations, which may name a subject).
bool needs_manifest(const ImageRecord& record);

// The media types sent as acceptedMediaTypes so BatchGetImage returns manifests unconverted.
const std::vector<std::string>& accepted_manifest_media_types();

// Null-safe member access: "" / null when the member is absent, null or of another type, so a
// surprising answer never throws out of the backend.
std::string string_member(const nlohmann::json& object, const char* key);
const nlohmann::json& member(const nlohmann::json& object, const char* key);

nlohmann::json to_json(const ImageId& id);
ImageId image_id_from_json(const nlohmann::json& value);

// Epoch seconds (number, or string as a fallback) -> milliseconds; nullopt when absent/null.
std::optional<EpochMillis> timestamp_field(const nlohmann::json& object, const char* key);

}  // namespace regsweep::ecr
