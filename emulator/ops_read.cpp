// ListImages, DescribeImages: paginated reads under the shared lock. BatchGetImage: a pull, which
// records lastRecordedPullTime (so it takes the write lock).
#include <mutex>
#include <set>

#include "manifest.hpp"
#include "ops.hpp"
#include "pagination.hpp"

namespace ecr_emulator {

namespace {

enum class TagStatus { any, tagged, untagged };

// imageStatus defaults to ACTIVE: "If not specified, only images with ACTIVE status are returned"
// (ECR API reference, ListImagesFilter and DescribeImagesFilter).
struct Filter {
  TagStatus tags = TagStatus::any;
  std::string image_status = "ACTIVE";  // ACTIVE | ARCHIVED | ACTIVATING | ANY
  std::string key = "ANY/ACTIVE";       // binds a nextToken to its filter
};

Filter parse_filter(const Json& body) {
  Filter filter;
  const Json* object = opt_object(body, "filter");
  if (object == nullptr) return filter;
  std::string tag_status = opt_string(*object, "tagStatus", "ANY");
  if (tag_status == "TAGGED")
    filter.tags = TagStatus::tagged;
  else if (tag_status == "UNTAGGED")
    filter.tags = TagStatus::untagged;
  else if (tag_status != "ANY")
    throw_invalid_parameter("filter.tagStatus",
                            "Member must satisfy enum value set: [TAGGED, UNTAGGED, ANY]");
  filter.image_status = opt_string(*object, "imageStatus", "ACTIVE");
  if (filter.image_status != "ANY" && filter.image_status != "ACTIVE" &&
      filter.image_status != "ARCHIVED" && filter.image_status != "ACTIVATING") {
    throw_invalid_parameter(
        "filter.imageStatus",
        "Member must satisfy enum value set: [ACTIVE, ARCHIVED, ACTIVATING, ANY]");
  }
  filter.key = tag_status + "/" + filter.image_status;
  return filter;
}

bool matches(const Filter& filter, const Image& image, Millis now) {
  if (filter.tags == TagStatus::tagged && image.tags.empty()) return false;
  if (filter.tags == TagStatus::untagged && !image.tags.empty()) return false;
  return filter.image_status == "ANY" || filter.image_status == status_name(status_at(image, now));
}

}  // namespace

OpResult list_images(Context& ctx, const Json& body) {
  std::string name = repository_name_param(body);
  Filter filter = parse_filter(body);
  int limit = max_results(body, 1000, 100);
  std::string token = opt_string(body, "nextToken");
  std::shared_lock lock(ctx.store.mutex);
  const Repository& repo = find_repository(ctx.store, name);
  PageCursor cursor;
  if (!token.empty()) cursor = decode_token(token, "ListImages:" + name, filter.key);
  Json ids = Json::array();
  auto it = repo.images.lower_bound(cursor.key);
  std::size_t row = (it != repo.images.end() && it->first == cursor.key) ? cursor.index : 0;
  int count = 0;
  for (; it != repo.images.end(); ++it, row = 0) {
    const Image& image = it->second;
    if (!matches(filter, image, ctx.now)) continue;
    std::size_t rows = image.tags.empty() ? 1 : image.tags.size();
    for (; row < rows; ++row) {
      if (count == limit) {
        Json out = {{"imageIds", std::move(ids)}};
        out["nextToken"] = encode_token("ListImages:" + name, filter.key, {image.digest, row});
        return out;
      }
      Json id = {{"imageDigest", image.digest}};
      if (!image.tags.empty()) id["imageTag"] = image.tags[row];
      ids.push_back(std::move(id));
      ++count;
    }
  }
  return Json{{"imageIds", std::move(ids)}};
}

OpResult describe_images(Context& ctx, const Json& body) {
  std::string name = repository_name_param(body);
  Filter filter = parse_filter(body);
  const Json* image_ids = opt_array(body, "imageIds");
  std::string token = opt_string(body, "nextToken");
  int limit = max_results(body, 1000, 100);
  std::shared_lock lock(ctx.store.mutex);
  const Repository& repo = find_repository(ctx.store, name);
  Json details = Json::array();
  if (image_ids != nullptr) {
    if (!token.empty() || body.contains("maxResults")) {
      throw ApiError(
          400, "InvalidParameterException",
          "Invalid parameter: nextToken and maxResults cannot be used together with imageIds");
    }
    if (image_ids->empty() || image_ids->size() > 100) {
      throw_invalid_parameter("imageIds", "Member must have length less than or equal to 100");
    }
    // Named images are described whatever their status: archived images "can still be described
    // using the describe-images command" (ECR user guide, "Archiving an image").
    std::set<std::string> seen;
    for (const auto& id : *image_ids) {
      if (!id.is_object())
        throw ApiError(400, "SerializationException", "Unexpected value for 'imageIds'");
      std::string digest = opt_string(id, "imageDigest");
      std::string tag = opt_string(id, "imageTag");
      const Image* image = resolve_image(repo, digest, tag);
      if (image == nullptr) {
        throw ApiError(400, "ImageNotFoundException",
                       "The image with imageId " + image_id_text(digest, tag) +
                           " does not exist within the repository with name '" + name +
                           "' in the registry with id '" + repo.registry_id + "'");
      }
      if (seen.insert(image->digest).second)
        details.push_back(image_detail_json(repo, *image, ctx.now));
    }
    return Json{{"imageDetails", std::move(details)}};
  }
  auto it = repo.images.begin();
  if (!token.empty())
    it = repo.images.lower_bound(decode_token(token, "DescribeImages:" + name, filter.key).key);
  std::string out = "{\"imageDetails\":[";
  out.reserve(static_cast<std::size_t>(limit) * 400);
  int count = 0;
  for (; it != repo.images.end(); ++it) {
    if (!matches(filter, it->second, ctx.now)) continue;
    if (count == limit) break;
    if (count > 0) out.push_back(',');
    append_image_detail(out, repo, it->second, ctx.now);
    ++count;
  }
  out.push_back(']');
  if (it != repo.images.end()) {
    out += ",\"nextToken\":";
    append_json_string(out, encode_token("DescribeImages:" + name, filter.key, {it->first, 0}));
  }
  out.push_back('}');
  return OpResult::serialised(std::move(out));
}

// A pull: every image returned gets lastRecordedPullTime = now, unless the caller is on the
// pull-time update exclusion list ("When a role in the exclusion list pulls an image, the pull
// time remains unchanged", ECR user guide, "Pull-time update exclusions"). ECR refreshes the time
// "at least once every 24 hours" (ImageDetail); the emulator records every pull exactly.
// Archived images, and those still being restored (ACTIVATING), "cannot be pulled" (user guide,
// "Archiving an image" / "Restoring an image"): they are per-item failures, by default
// ImageNotFound (the guide's "fail with a 404 error"); AWS does not say which failureCode, so the
// code is a setting (Store::archived_pull_failure, e.g. the newer ImageInaccessible).
OpResult batch_get_image(Context& ctx, const Json& body) {
  std::string name = repository_name_param(body);
  const Json* image_ids = opt_array(body, "imageIds");
  if (image_ids == nullptr) throw_invalid_parameter("imageIds", "Member must not be null");
  if (image_ids->empty() || image_ids->size() > 100) {
    throw_invalid_parameter("imageIds", "Member must have length less than or equal to 100");
  }
  std::unique_lock lock(ctx.store.mutex);
  Repository& repo = find_repository(ctx.store, name);
  const bool record = !pull_time_excluded(ctx.store, ctx.caller);
  Json images = Json::array();
  Json failures = Json::array();
  for (const auto& id : *image_ids) {
    auto param = image_id_param(id, failures);
    if (!param) continue;
    const std::string& digest = param->digest;
    const std::string& tag = param->tag;
    auto fail = [&](const std::string& code, const std::string& reason) {
      append_image_failure(failures, id, code.c_str(), reason);
    };
    Image* image = resolve_image(repo, digest, tag);
    if (image == nullptr) {
      fail("ImageNotFound", "Requested image not found");
      continue;
    }
    const ImageStatus status = status_at(*image, ctx.now);
    if (status != ImageStatus::active) {
      fail(ctx.store.archived_pull_failure,
           status == ImageStatus::archived
               ? "Requested image is archived and cannot be pulled; restore it first"
               : "Requested image is being restored (ACTIVATING) and cannot be pulled yet");
      continue;
    }
    if (record) image->last_pull = ctx.now;
    Json image_id = {{"imageDigest", image->digest}};
    if (!tag.empty()) image_id["imageTag"] = tag;
    Json entry = {
        {"registryId", repo.registry_id}, {"repositoryName", repo.name}, {"imageId", image_id}};
    entry["imageManifest"] = image->manifest.empty() ? synthetic_manifest(*image) : image->manifest;
    if (image->manifest_media_type != nullptr)
      entry["imageManifestMediaType"] = *image->manifest_media_type;
    images.push_back(std::move(entry));
  }
  return Json{{"images", std::move(images)}, {"failures", std::move(failures)}};
}

}  // namespace ecr_emulator
