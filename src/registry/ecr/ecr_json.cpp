#include "registry/ecr/ecr_json.hpp"

#include <string>

namespace regsweep::ecr {
namespace {

using nlohmann::json;

// Config media types of ordinary container images: their manifests say nothing about other images.
bool is_plain_image_config(const std::string& media_type) {
  return media_type.empty() || media_type == "application/vnd.docker.container.image.v1+json" ||
         media_type == "application/vnd.oci.image.config.v1+json";
}

}  // namespace

std::string string_member(const json& object, const char* key) {
  if (!object.is_object()) return {};
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

const json& member(const json& object, const char* key) {
  static const json null_value;
  if (!object.is_object()) return null_value;
  const auto it = object.find(key);
  return it == object.end() ? null_value : *it;
}

Result<json> parse_response(std::string_view operation, const std::string& body) {
  // Some successful operations may answer with an empty body; treat it as {}.
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return json::object();
  json value = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded() || !value.is_object()) {
    return make_error(ErrorCode::internal, "ECR " + std::string(operation) +
                                               ": response: not a JSON object; this is a bug in "
                                               "the endpoint or a proxy in between");
  }
  return value;
}

std::optional<EpochMillis> timestamp_field(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::nullopt;
  if (it->is_number()) return epoch_seconds_to_millis(it->get<double>());  // nullopt: out of range
  if (it->is_string()) return parse_timestamp(it->get<std::string>());
  return std::nullopt;
}

Result<ImageRecord> image_from_detail(const json& detail, std::string_view where) {
  if (!detail.is_object()) {
    return make_error(ErrorCode::internal, std::string(where) + ": imageDetail is not an object");
  }
  ImageRecord record;
  record.digest = string_member(detail, "imageDigest");
  if (record.digest.empty()) {
    return make_error(ErrorCode::internal, std::string(where) +
                                               ": imageDigest: missing; the endpoint's answer is "
                                               "incomplete, refusing to guess");
  }
  if (const auto tags = detail.find("imageTags"); tags != detail.end() && tags->is_array()) {
    for (const auto& tag : *tags) {
      if (tag.is_string()) record.tags.push_back(tag.get<std::string>());
    }
  }
  record.pushed_at = timestamp_field(detail, "imagePushedAt").value_or(0);
  record.last_pulled_at = timestamp_field(detail, "lastRecordedPullTime");
  record.last_archived_at = timestamp_field(detail, "lastArchivedAt");
  record.last_activated_at = timestamp_field(detail, "lastActivatedAt");
  if (const auto size = detail.find("imageSizeInBytes");
      size != detail.end() && size->is_number() && size->get<double>() > 0) {
    record.size_bytes = size->get<std::uint64_t>();
  }
  // ACTIVE, absent (older service versions) and unknown values: active.
  record.status =
      parse_image_status(string_member(detail, "imageStatus")).value_or(ImageStatus::active);
  record.manifest_media_type = string_member(detail, "imageManifestMediaType");
  record.artifact_media_type = string_member(detail, "artifactMediaType");
  if (std::string subject = string_member(detail, "subjectManifestDigest"); !subject.empty()) {
    record.subject_digest = std::move(subject);
  }
  return record;
}

Status apply_manifest(ImageRecord& record, std::string manifest) {
  const json body = json::parse(manifest, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    return make_error(ErrorCode::internal, "manifest of " + record.digest +
                                               ": not a JSON object; cannot tell which "
                                               "images it references");
  }
  record.child_digests.clear();
  if (const auto manifests = body.find("manifests");
      manifests != body.end() && manifests->is_array()) {
    for (const auto& entry : *manifests) {
      if (entry.is_object()) {
        std::string digest = string_member(entry, "digest");
        if (!digest.empty()) record.child_digests.push_back(std::move(digest));
      }
    }
  }
  if (const auto subject = body.find("subject"); subject != body.end() && subject->is_object()) {
    std::string digest = string_member(*subject, "digest");
    if (!digest.empty()) record.subject_digest = std::move(digest);
  }
  record.manifest = std::move(manifest);
  return ok_status();
}

bool needs_manifest(const ImageRecord& record) {
  // A manifest read is a pull: it moves lastRecordedPullTime, which sinceImagePulled rules (ECR's
  // and ours) read. So only what the listing cannot tell is read: an index's children, and the
  // subject of an artifact DescribeImages did not name one for. Archived images cannot be read at
  // all (BatchGetImage answers ImageNotFound), and an archived index protects no children (R5).
  if (record.status != ImageStatus::active) return false;
  if (ImageRecord::is_index_media_type(record.manifest_media_type)) return true;
  if (record.subject_digest.has_value()) return false;
  return record.manifest_media_type == "application/vnd.oci.artifact.manifest.v1+json" ||
         !is_plain_image_config(record.artifact_media_type);
}

const std::vector<std::string>& accepted_manifest_media_types() {
  static const std::vector<std::string> types = {
      "application/vnd.docker.distribution.manifest.v2+json",
      "application/vnd.docker.distribution.manifest.list.v2+json",
      "application/vnd.oci.image.manifest.v1+json",
      "application/vnd.oci.image.index.v1+json",
      "application/vnd.oci.artifact.manifest.v1+json",
  };
  return types;
}

json to_json(const ImageId& id) {
  json value = json::object();
  if (!id.digest.empty()) value["imageDigest"] = id.digest;
  if (!id.tag.empty()) value["imageTag"] = id.tag;
  return value;
}

ImageId image_id_from_json(const json& value) {
  if (!value.is_object()) return {};
  return ImageId{string_member(value, "imageDigest"), string_member(value, "imageTag")};
}

}  // namespace regsweep::ecr
