// The emulator's whole state: repositories and their images, held in memory behind one
// reader/writer lock (reads run in parallel, writes are short). Images are kept ordered by
// digest so that pagination is a stable walk from a remembered key; a tag index maps each tag to
// its digest; `parent_refs` counts, per digest, how many live indexes in the repository list it
// as a child, which is what makes ImageReferencedByManifestList possible.
//
// Invariants kept by the mutation functions below (and only by them):
//  - every tag in an Image's `tags` is in `tag_to_digest` pointing at that image, and back;
//  - parent_refs[d] == number of images whose `children` contain d.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ecr_emulator {

using Millis = std::int64_t;  // epoch milliseconds

// ECR's imageStatus. An image restored from the archive is ACTIVATING until `activates_at`
// (Image), then ACTIVE: the transition is read off the clock (status_at), not stored.
enum class ImageStatus { active, archived, activating };

struct Image {
  std::string digest;
  std::vector<std::string> tags;  // in the order they were attached
  Millis pushed_at = 0;
  std::int64_t size = 0;
  std::optional<Millis> last_pull;
  std::optional<Millis> last_archived;
  std::optional<Millis> last_activated;  // of a completed restore (see last_activated_at)
  ImageStatus status = ImageStatus::active;
  Millis activates_at = 0;  // ACTIVATING: when the restore completes (k_never for seeded ones)
  const std::string* manifest_media_type = nullptr;  // interned (see intern()); may be null
  const std::string* artifact_media_type = nullptr;
  std::string manifest;  // exact bytes; empty = seeded without one (a synthetic one is served)
  std::vector<std::string> children;  // an index's manifests[].digest
  std::string subject;                // an artifact's subject.digest
};

struct Repository {
  std::string name;
  std::string registry_id;
  Millis created_at = 0;
  std::string tag_mutability = "MUTABLE";
  bool scan_on_push = false;
  std::vector<std::pair<std::string, std::string>> resource_tags;  // Key, Value
  std::optional<std::string> policy_text;
  std::map<std::string, Image> images;  // by digest
  std::unordered_map<std::string, std::string> tag_to_digest;
  std::unordered_map<std::string, int> parent_refs;
  // Blobs (layers, configs) ECR has removed from the repository (POST /_emulator/layers-gone):
  // PutImage of a manifest that needs one fails with LayersNotFoundException, as it does once
  // ECR has garbage-collected the layers of a deleted image.
  std::set<std::string> removed_blobs;
};

inline constexpr Millis k_never = std::numeric_limits<Millis>::max();

struct Store {
  mutable std::shared_mutex mutex;
  std::string account_id = "123456789012";
  std::string region = "us-east-1";
  std::map<std::string, Repository> repositories;  // by name
  // RegisterPullTimeUpdateExclusion: principal ARN (as registered) -> createdAt.
  std::map<std::string, Millis> pull_time_exclusions;
  // Settings (--restore-delay-ms, POST /_emulator/settings): how long a restore stays ACTIVATING,
  // and the failure code BatchGetImage gives for an archived or activating image.
  Millis restore_delay_ms = 0;
  std::string archived_pull_failure = "ImageNotFound";
};

// Stable pointer to one shared copy of a (media type) string; keeps 1,000,000 images small.
const std::string* intern(const std::string& text);

// Inserts or replaces the image with this digest (keeping the tags it already has when
// `merge_tags`), moving each of `image.tags` off whatever image held it before. Updates the
// child reference counts.
Image& put_image(Repository& repo, Image image, bool merge_tags);
// Attaches `tag` to the image `digest` (which must exist), taking it from any other image.
void attach_tag(Repository& repo, const std::string& digest, const std::string& tag);
// Removes `tag` from its image; the image itself stays (possibly untagged).
void detach_tag(Repository& repo, const std::string& tag);
// Erases the image and its tags. Child reference counts are decremented unless `defer_refs`
// collects the children instead (BatchDeleteImage applies them at the end of the call).
void erase_image(Repository& repo, const std::string& digest, std::vector<std::string>* defer_refs);
void release_refs(Repository& repo, const std::vector<std::string>& children);

// Timestamps and sizes as the API shows them.
std::int64_t image_size(const Repository& repo, const Image& image);
// The status at `now`: an ACTIVATING image whose restore time has come is ACTIVE.
ImageStatus status_at(const Image& image, Millis now);
// lastActivatedAt at `now`: the completed restore's time, else the one recorded before.
std::optional<Millis> last_activated_at(const Image& image, Millis now);
const char* status_name(ImageStatus status);  // "ACTIVE", "ARCHIVED", "ACTIVATING"
// Stores what status_at() reads off the clock: a completed restore becomes ACTIVE with its
// lastActivatedAt. Call before changing an image's status.
void settle_status(Image& image, Millis now);

}  // namespace ecr_emulator
