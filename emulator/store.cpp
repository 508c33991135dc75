// State mutations that keep the tag index and child reference counts consistent (store.hpp).
#include "store.hpp"

#include <algorithm>
#include <mutex>
#include <unordered_set>

namespace ecr_emulator {

const std::string* intern(const std::string& text) {
  static std::mutex mutex;
  static std::unordered_set<std::string> table;  // node-based: element addresses are stable
  if (text.empty()) return nullptr;
  std::lock_guard lock(mutex);
  return &*table.insert(text).first;
}

namespace {

// attach_tag for an image already in hand (saves a tree walk per tag while seeding).
void attach_tag_to(Repository& repo, Image& image, const std::string& tag) {
  auto [found, fresh] = repo.tag_to_digest.try_emplace(tag, image.digest);
  if (!fresh) {
    if (found->second == image.digest) return;
    auto previous = repo.images.find(found->second);
    if (previous != repo.images.end()) std::erase(previous->second.tags, tag);
    found->second = image.digest;
  }
  image.tags.push_back(tag);
}

}  // namespace

void attach_tag(Repository& repo, const std::string& digest, const std::string& tag) {
  attach_tag_to(repo, repo.images.at(digest), tag);
}

void detach_tag(Repository& repo, const std::string& tag) {
  auto found = repo.tag_to_digest.find(tag);
  if (found == repo.tag_to_digest.end()) return;
  auto image = repo.images.find(found->second);
  if (image != repo.images.end()) std::erase(image->second.tags, tag);
  repo.tag_to_digest.erase(found);
}

void release_refs(Repository& repo, const std::vector<std::string>& children) {
  for (const auto& child : children) {
    auto it = repo.parent_refs.find(child);
    if (it != repo.parent_refs.end() && --it->second <= 0) repo.parent_refs.erase(it);
  }
}

void erase_image(Repository& repo, const std::string& digest,
                 std::vector<std::string>* defer_refs) {
  auto it = repo.images.find(digest);
  if (it == repo.images.end()) return;
  for (const auto& tag : it->second.tags) repo.tag_to_digest.erase(tag);
  if (defer_refs != nullptr) {
    defer_refs->insert(defer_refs->end(), it->second.children.begin(), it->second.children.end());
  } else {
    release_refs(repo, it->second.children);
  }
  repo.images.erase(it);
}

Image& put_image(Repository& repo, Image image, bool merge_tags) {
  std::vector<std::string> tags = std::move(image.tags);
  image.tags.clear();
  auto existing = repo.images.lower_bound(image.digest);
  if (existing != repo.images.end() && existing->first == image.digest) {
    if (merge_tags)
      image.tags = existing->second.tags;
    else
      for (const auto& tag : existing->second.tags) repo.tag_to_digest.erase(tag);
    release_refs(repo, existing->second.children);
    existing->second = std::move(image);
  } else {
    std::string key = image.digest;
    existing = repo.images.emplace_hint(existing, std::move(key), std::move(image));
  }
  for (const auto& child : existing->second.children) ++repo.parent_refs[child];
  for (const auto& tag : tags) attach_tag_to(repo, existing->second, tag);
  return existing->second;
}

std::int64_t image_size(const Repository& repo, const Image& image) {
  if (image.children.empty()) return image.size;
  // ECR: an index's size is the largest of the manifests it lists.
  std::int64_t largest = image.size;
  for (const auto& child : image.children) {
    auto it = repo.images.find(child);
    if (it != repo.images.end()) largest = std::max(largest, it->second.size);
  }
  return largest;
}

ImageStatus status_at(const Image& image, Millis now) {
  if (image.status == ImageStatus::activating && now >= image.activates_at)
    return ImageStatus::active;
  return image.status;
}

std::optional<Millis> last_activated_at(const Image& image, Millis now) {
  if (image.status == ImageStatus::activating && now >= image.activates_at)
    return image.activates_at;
  return image.last_activated;
}

void settle_status(Image& image, Millis now) {
  if (image.status != ImageStatus::activating || now < image.activates_at) return;
  image.last_activated = image.activates_at;
  image.status = ImageStatus::active;
}

const char* status_name(ImageStatus status) {
  switch (status) {
    case ImageStatus::archived:
      return "ARCHIVED";
    case ImageStatus::activating:
      return "ACTIVATING";
    default:
      return "ACTIVE";
  }
}

}  // namespace ecr_emulator
