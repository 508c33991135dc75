// ListImages, DescribeImages, BatchGetImage: paginated reads under the shared lock.
#include <mutex>
#include <set>

#include "manifest.hpp"
#include "ops.hpp"
#include "pagination.hpp"

namespace ecr_emulator {

namespace {

enum class TagStatus { any, tagged, untagged };

struct Filter {
  TagStatus tags = TagStatus::any;
  std::string image_status = "ANY";  // newer model: ACTIVE | ARCHIVED | ACTIVATING | ANY
  std::string key;                   // binds a nextToken to its filter
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
  filter.image_status = opt_string(*object, "imageStatus", "ANY");
  if (filter.image_status != "ANY" && filter.image_status != "ACTIVE" &&
      filter.image_status != "ARCHIVED" && filter.image_status != "ACTIVATING") {
    throw_invalid_parameter(
        "filter.imageStatus",
        "Member must satisfy enum value set: [ACTIVE, ARCHIVED, ACTIVATING, ANY]");
  }
  filter.key = tag_status + "/" + filter.image_status;
  return filter;
}

bool matches(const Filter& filter, const Image& image) {
  if (filter.tags == TagStatus::tagged && image.tags.empty()) return false;
  if (filter.tags == TagStatus::untagged && !image.tags.empty()) return false;
  if (filter.image_status == "ACTIVE" && image.archived) return false;
  if ((filter.image_status == "ARCHIVED" || filter.image_status == "ACTIVATING") && !image.archived)
    return false;
  return true;
}

std::string id_text(const std::string& digest, const std::string& tag) {
  return "{imageDigest:'" + (digest.empty() ? std::string("null") : digest) + "', imageTag:'" +
         (tag.empty() ? std::string("null") : tag) + "'}";
}

// Resolves an ImageIdentifier; nullptr when it names nothing (or tag and digest disagree).
const Image* resolve(const Repository& repo, const std::string& digest, const std::string& tag) {
  std::string wanted = digest;
  if (!tag.empty()) {
    auto it = repo.tag_to_digest.find(tag);
    if (it == repo.tag_to_digest.end() || (!digest.empty() && it->second != digest)) return nullptr;
    wanted = it->second;
  }
  auto it = repo.images.find(wanted);
  return it == repo.images.end() ? nullptr : &it->second;
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
    if (!matches(filter, image)) continue;
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
    std::set<std::string> seen;
    for (const auto& id : *image_ids) {
      if (!id.is_object())
        throw ApiError(400, "SerializationException", "Unexpected value for 'imageIds'");
      std::string digest = opt_string(id, "imageDigest");
      std::string tag = opt_string(id, "imageTag");
      const Image* image = resolve(repo, digest, tag);
      if (image == nullptr) {
        throw ApiError(400, "ImageNotFoundException",
                       "The image with imageId " + id_text(digest, tag) +
                           " does not exist within the repository with name '" + name +
                           "' in the registry with id '" + repo.registry_id + "'");
      }
      if (seen.insert(image->digest).second) details.push_back(image_detail_json(repo, *image));
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
    if (!matches(filter, it->second)) continue;
    if (count == limit) break;
    if (count > 0) out.push_back(',');
    append_image_detail(out, repo, it->second);
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

OpResult batch_get_image(Context& ctx, const Json& body) {
  std::string name = repository_name_param(body);
  const Json* image_ids = opt_array(body, "imageIds");
  if (image_ids == nullptr) throw_invalid_parameter("imageIds", "Member must not be null");
  if (image_ids->empty() || image_ids->size() > 100) {
    throw_invalid_parameter("imageIds", "Member must have length less than or equal to 100");
  }
  std::shared_lock lock(ctx.store.mutex);
  const Repository& repo = find_repository(ctx.store, name);
  Json images = Json::array();
  Json failures = Json::array();
  for (const auto& id : *image_ids) {
    auto param = image_id_param(id, failures);
    if (!param) continue;
    const std::string& digest = param->digest;
    const std::string& tag = param->tag;
    auto fail = [&](const char* code, const std::string& reason) {
      append_image_failure(failures, id, code, reason);
    };
    const Image* image = resolve(repo, digest, tag);
    if (image == nullptr) {
      fail("ImageNotFound", "Requested image not found");
      continue;
    }
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
