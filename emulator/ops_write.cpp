// BatchDeleteImage and PutImage: the two operations that change images.
//
// BatchDeleteImage semantics (ECR's documentation): an id with a tag removes that tag and deletes
// the image only when its last tag goes; an id with only a digest deletes the image with all its
// tags. Per-item problems are failures[] entries with HTTP 200. A manifest listed by a live index
// cannot be deleted; an index deleted in this call releases its children only when the call ends,
// so the children can be deleted in a later call (as on ECR).
#include <mutex>

#include "crypto.hpp"
#include "manifest.hpp"
#include "ops.hpp"

namespace ecr_emulator {

OpResult batch_delete_image(Context& ctx, const Json& body) {
  std::string name = repository_name_param(body);
  const Json* image_ids = opt_array(body, "imageIds");
  if (image_ids == nullptr) throw_invalid_parameter("imageIds", "Member must not be null");
  if (image_ids->empty())
    throw_invalid_parameter("imageIds", "Member must have length greater than or equal to 1");
  if (image_ids->size() > 100)
    throw_invalid_parameter("imageIds", "Member must have length less than or equal to 100");
  std::unique_lock lock(ctx.store.mutex);
  Repository& repo = find_repository(ctx.store, name);
  Json deleted = Json::array();
  Json failures = Json::array();
  std::vector<std::string> released;
  for (const auto& id : *image_ids) {
    auto param = image_id_param(id, failures);
    if (!param) continue;
    const std::string& digest = param->digest;
    const std::string& tag = param->tag;
    auto fail = [&](const char* code, const std::string& reason) {
      append_image_failure(failures, id, code, reason);
    };
    if (tag.size() > 300) {
      fail("InvalidImageTag",
           "Invalid request parameters: image tag must be at most 300 characters");
      continue;
    }
    std::string target = digest;
    if (!tag.empty()) {
      auto found = repo.tag_to_digest.find(tag);
      if (found == repo.tag_to_digest.end()) {
        fail("ImageNotFound", "Requested image not found");
        continue;
      }
      if (!digest.empty() && found->second != digest) {
        fail("ImageTagDoesNotMatchDigest",
             "Invalid request parameters: image tag does not match digest");
        continue;
      }
      target = found->second;
    }
    auto image = repo.images.find(target);
    if (image == repo.images.end()) {
      fail("ImageNotFound", "Requested image not found");
      continue;
    }
    bool removes_image = tag.empty() || image->second.tags.size() == 1;
    if (removes_image && repo.parent_refs.contains(target)) {
      fail("ImageReferencedByManifestList", "Requested image referenced by manifest list");
      continue;
    }
    if (!tag.empty()) {
      deleted.push_back({{"imageDigest", target}, {"imageTag", tag}});
      detach_tag(repo, tag);
      if (image->second.tags.empty()) erase_image(repo, target, &released);
      continue;
    }
    if (image->second.tags.empty()) deleted.push_back({{"imageDigest", target}});
    for (const auto& t : image->second.tags)
      deleted.push_back({{"imageDigest", target}, {"imageTag", t}});
    erase_image(repo, target, &released);
  }
  release_refs(repo, released);
  return Json{{"imageIds", std::move(deleted)}, {"failures", std::move(failures)}};
}

OpResult put_image(Context& ctx, const Json& body) {
  std::string name = repository_name_param(body);
  std::string manifest = req_string(body, "imageManifest");
  if (manifest.empty() || manifest.size() > 4194304) {
    throw_invalid_parameter("imageManifest", "Member must have length between 1 and 4194304");
  }
  std::string media_type_param = opt_string(body, "imageManifestMediaType");
  std::string tag = opt_string(body, "imageTag");
  if (tag.size() > 300)
    throw_invalid_parameter("imageTag", "Member must have length less than or equal to 300");
  std::string digest_param = opt_string(body, "imageDigest");
  auto info = inspect_manifest(manifest);
  if (!info) throw_invalid_parameter("ImageManifest", "Invalid JSON syntax");
  std::string media_type = !media_type_param.empty() ? media_type_param : info->media_type;
  if (media_type.empty()) throw_invalid_parameter("ImageManifest", "Invalid JSON syntax");
  if (!info->media_type.empty() && !media_type_param.empty() &&
      info->media_type != media_type_param) {
    throw_invalid_parameter("imageManifestMediaType",
                            "Manifest media type does not match the manifest's mediaType");
  }
  std::string digest = "sha256:" + sha256_hex(manifest);
  if (!digest_param.empty() && digest_param != digest) {
    throw ApiError(400, "ImageDigestDoesNotMatchException",
                   "Invalid parameter at 'imageDigest' failed to satisfy constraint: 'The provided "
                   "digest does "
                   "not match the digest of the manifest: " +
                       digest + "'");
  }

  std::unique_lock lock(ctx.store.mutex);
  Repository& repo = find_repository(ctx.store, name);
  auto existing = repo.images.find(digest);
  auto tagged = tag.empty() ? repo.tag_to_digest.end() : repo.tag_to_digest.find(tag);
  // "When you push an image that is currently archived, that image will be immediately restored
  // and removed from archive" (ECR user guide, "Restoring an image"); so is one being restored.
  bool restores = false;
  if (existing != repo.images.end()) {
    settle_status(existing->second, ctx.now);
    restores = existing->second.status != ImageStatus::active;
  }
  if (existing != repo.images.end() && !restores &&
      (tag.empty() || (tagged != repo.tag_to_digest.end() && tagged->second == digest))) {
    throw ApiError(400, "ImageAlreadyExistsException",
                   "Image with digest '" + digest + "'" +
                       (tag.empty() ? "" : " and tag '" + tag + "'") +
                       " already exists in the repository with name '" + name +
                       "' in the registry with id '" + repo.registry_id + "'");
  }
  if (repo.tag_mutability == "IMMUTABLE" && tagged != repo.tag_to_digest.end()) {
    throw ApiError(
        400, "ImageTagAlreadyExistsException",
        "The image tag '" + tag + "' already exists in the '" + name +
            "' repository and cannot be overwritten because the repository is immutable.");
  }
  std::string gone;
  for (const auto& blob : info->blobs)
    if (repo.removed_blobs.contains(blob)) gone += (gone.empty() ? "" : ", ") + blob;
  if (!gone.empty()) {
    throw ApiError(400, "LayersNotFoundException",
                   "Layers with digests '[" + gone +
                       "]' required for pushing image into "
                       "repository with name '" +
                       name + "' in the registry with id '" + repo.registry_id + "' do not exist");
  }
  for (const auto& child : info->children) {
    if (!repo.images.contains(child)) {
      throw ApiError(400, "ReferencedImagesNotFoundException",
                     "Some of the referenced images were not found in the repository: " + child);
    }
  }
  if (existing != repo.images.end()) {
    if (restores) {
      existing->second.status = ImageStatus::active;
      existing->second.last_activated = ctx.now;
    }
    // Same manifest, new tag: a retag keeps the push time.
    if (!tag.empty()) attach_tag(repo, digest, tag);
  } else {
    Image image;
    image.digest = digest;
    if (!tag.empty()) image.tags.push_back(tag);
    image.pushed_at = ctx.now;
    image.size = info->size;
    image.manifest_media_type = intern(media_type);
    image.artifact_media_type = intern(info->config_media_type);
    image.manifest = manifest;
    image.children = info->children;
    image.subject = info->subject;
    put_image(repo, std::move(image), false);
  }
  Json image_id = {{"imageDigest", digest}};
  if (!tag.empty()) image_id["imageTag"] = tag;
  return Json{{"image",
               {{"registryId", repo.registry_id},
                {"repositoryName", name},
                {"imageId", image_id},
                {"imageManifest", manifest},
                {"imageManifestMediaType", media_type}}}};
}

}  // namespace ecr_emulator
