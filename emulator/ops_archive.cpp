// UpdateImageStorageClass (archive / restore) and ListImageReferrers.
//
// Archive and restore follow the ECR user guide ("Archiving an image", "Restoring an image") and
// the API reference's examples: archiving answers ARCHIVED and sets lastArchivedAt; restoring
// answers ACTIVATING ("typically up to 20 minutes"; here Store::restore_delay_ms, 0 by default),
// after which DescribeImages shows ACTIVE with lastActivatedAt. Where AWS is silent the emulator
// refuses, with ImageStorageClassUpdateNotSupportedException ("The requested image storage class
// update is not supported"), every transition that is not ACTIVE -> ARCHIVE or
// ARCHIVED -> STANDARD: archiving an archived or activating image, restoring an active or
// activating one. Indexes, their children and referrers are archived one by one, like any image.
#include <algorithm>
#include <mutex>

#include "manifest.hpp"
#include "ops.hpp"
#include "pagination.hpp"

namespace ecr_emulator {

namespace {

[[noreturn]] void not_supported(const std::string& message) {
  throw ApiError(400, "ImageStorageClassUpdateNotSupportedException", message);
}

// The imageId member of UpdateImageStorageClass: a whole-call parameter here, not a per-item one.
ImageIdParam storage_class_image_id(const Json& body) {
  const Json* id = opt_object(body, "imageId");
  if (id == nullptr) throw_invalid_parameter("imageId", "Member must not be null");
  ImageIdParam param{opt_string(*id, "imageDigest"), opt_string(*id, "imageTag")};
  if (param.digest.empty() && param.tag.empty()) {
    throw ApiError(400, "InvalidParameterException",
                   "Invalid request parameters: both tag and digest cannot be null");
  }
  if (!param.digest.empty() && !valid_digest(param.digest)) {
    throw_invalid_parameter(
        "imageId.imageDigest",
        "image digest should satisfy the regex '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'");
  }
  if (param.tag.size() > 300) {
    throw_invalid_parameter("imageId.imageTag",
                            "Member must have length less than or equal to 300");
  }
  return param;
}

struct ReferrerFilter {
  std::string status = "ACTIVE";  // "If not specified, only artifacts with ACTIVE status"
  std::vector<std::string> types;
  std::string key;  // binds a nextToken to the subject and filter
};

ReferrerFilter parse_referrer_filter(const Json& body) {
  ReferrerFilter filter;
  if (const Json* object = opt_object(body, "filter")) {
    filter.status = opt_string(*object, "artifactStatus", "ACTIVE");
    if (filter.status != "ACTIVE" && filter.status != "ARCHIVED" && filter.status != "ACTIVATING" &&
        filter.status != "ANY") {
      throw_invalid_parameter(
          "filter.artifactStatus",
          "Member must satisfy enum value set: [ACTIVE, ARCHIVED, ACTIVATING, ANY]");
    }
    if (const Json* types = opt_array(*object, "artifactTypes")) {
      if (types->size() > 5) {
        throw_invalid_parameter("filter.artifactTypes",
                                "Member must have length less than or equal to 5");
      }
      for (const auto& type : *types) {
        if (!type.is_string())
          throw ApiError(400, "SerializationException", "Unexpected value for 'artifactTypes'");
        const auto& text = type.get_ref<const std::string&>();
        if (text.empty() || text.size() > 255) {
          throw_invalid_parameter("filter.artifactTypes.member",
                                  "Member must have length between 1 and 255");
        }
        filter.types.push_back(text);
      }
    }
  }
  filter.key = filter.status;
  for (const auto& type : filter.types) filter.key += "|" + type;
  return filter;
}

// One ImageReferrer: the OCI descriptor of the referrer's manifest (digest, media type, the
// manifest's byte size, artifactType and annotations, as the OCI referrers API lists them), plus
// ECR's artifactStatus. artifactType is the manifest's own, else its config media type (the OCI
// distribution spec's rule).
Json referrer_json(const Image& image, ImageStatus status) {
  const std::string manifest = image.manifest.empty() ? synthetic_manifest(image) : image.manifest;
  std::string artifact_type =
      image.artifact_media_type != nullptr ? *image.artifact_media_type : std::string();
  Json annotations = Json::object();
  if (!image.manifest.empty()) {
    if (auto info = inspect_manifest(image.manifest)) {
      if (!info->artifact_type.empty()) artifact_type = info->artifact_type;
      for (const auto& [key, value] : info->annotations) annotations[key] = value;
    }
  }
  Json out = {{"digest", image.digest},
              {"mediaType", image.manifest_media_type != nullptr
                                ? *image.manifest_media_type
                                : std::string("application/vnd.oci.image.manifest.v1+json")}};
  if (!artifact_type.empty()) out["artifactType"] = artifact_type;
  out["size"] = static_cast<std::int64_t>(manifest.size());
  if (!annotations.empty()) out["annotations"] = std::move(annotations);
  out["artifactStatus"] = status_name(status);
  return out;
}

}  // namespace

OpResult update_image_storage_class(Context& ctx, const Json& body) {
  std::string name = repository_name_param(body);
  ImageIdParam id = storage_class_image_id(body);
  std::string target = req_string(body, "targetStorageClass");
  if (target != "STANDARD" && target != "ARCHIVE") {
    throw_invalid_parameter("targetStorageClass",
                            "Member must satisfy enum value set: [STANDARD, ARCHIVE]");
  }
  std::unique_lock lock(ctx.store.mutex);
  Repository& repo = find_repository(ctx.store, name);
  Image* image = resolve_image(repo, id.digest, id.tag);
  if (image == nullptr) {
    throw ApiError(400, "ImageNotFoundException",
                   "The image with imageId " + image_id_text(id.digest, id.tag) +
                       " does not exist within the repository with name '" + name +
                       "' in the registry with id '" + repo.registry_id + "'");
  }
  settle_status(*image, ctx.now);
  const std::string which = "The image with digest '" + image->digest + "'";
  ImageStatus answer = ImageStatus::archived;
  if (target == "ARCHIVE") {
    if (image->status == ImageStatus::archived)
      not_supported(which + " is already in the ARCHIVE storage class");
    if (image->status == ImageStatus::activating)
      not_supported(which + " is being restored (ACTIVATING); archive it once it is ACTIVE");
    image->status = ImageStatus::archived;
    image->last_archived = ctx.now;
  } else {
    if (image->status == ImageStatus::active)
      not_supported(which + " is already in the STANDARD storage class");
    if (image->status == ImageStatus::activating)
      not_supported(which + " is already being restored (ACTIVATING)");
    image->status = ImageStatus::activating;
    image->activates_at = ctx.now + ctx.store.restore_delay_ms;
    answer = ImageStatus::activating;  // as the API reference's restore example answers
  }
  Json image_id = {{"imageDigest", image->digest}};
  if (!id.tag.empty()) image_id["imageTag"] = id.tag;
  return Json{{"registryId", repo.registry_id},
              {"repositoryName", repo.name},
              {"imageId", std::move(image_id)},
              {"imageStatus", status_name(answer)}};
}

// The referrers of a subject are the images of the same repository whose manifest names it as
// `subject` (Image::subject). An unknown subject has none: the operation's errors do not include
// ImageNotFoundException. Pages are ordered by digest; maxResults 1-50, default 50 (API reference).
OpResult list_image_referrers(Context& ctx, const Json& body) {
  std::string name = repository_name_param(body);
  const Json* subject = opt_object(body, "subjectId");
  if (subject == nullptr) throw_invalid_parameter("subjectId", "Member must not be null");
  std::string digest = req_string(*subject, "imageDigest");
  if (!valid_digest(digest)) {
    throw_invalid_parameter(
        "subjectId.imageDigest",
        "image digest should satisfy the regex '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'");
  }
  ReferrerFilter filter = parse_referrer_filter(body);
  int limit = max_results(body, 50, 50);
  std::string token = opt_string(body, "nextToken");
  std::shared_lock lock(ctx.store.mutex);
  const Repository& repo = find_repository(ctx.store, name);
  const std::string listing = "ListImageReferrers:" + name + "@" + digest;
  auto it = repo.images.begin();
  if (!token.empty()) it = repo.images.lower_bound(decode_token(token, listing, filter.key).key);
  Json referrers = Json::array();
  for (; it != repo.images.end(); ++it) {
    const Image& image = it->second;
    if (image.subject != digest) continue;
    const ImageStatus status = status_at(image, ctx.now);
    if (filter.status != "ANY" && filter.status != status_name(status)) continue;
    Json referrer = referrer_json(image, status);
    if (!filter.types.empty()) {
      const std::string type = referrer.value("artifactType", "");
      if (std::find(filter.types.begin(), filter.types.end(), type) == filter.types.end()) continue;
    }
    if (static_cast<int>(referrers.size()) == limit) {
      return Json{{"referrers", std::move(referrers)},
                  {"nextToken", encode_token(listing, filter.key, {it->first, 0})}};
    }
    referrers.push_back(std::move(referrer));
  }
  return Json{{"referrers", std::move(referrers)}};
}

}  // namespace ecr_emulator
