// What regsweep knows about an image: the fields of ECR's ImageDetail that decide its fate, plus
// what its manifest says about other images (an index's children, an artifact's subject). Every
// backend (snapshot file, ECR API, OCI API) produces these; the policy engine and planner read
// them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/interned_string.hpp"
#include "util/time.hpp"

namespace regsweep {

// ECR's imageStatus. ARCHIVED images belong to the archive storage class. ACTIVATING ones are being
// restored; ECR does not say how lifecycle rules treat them (spec Q10), and our choice is that no
// rule selects them: a restore in progress is a person's explicit wish to keep the image.
enum class ImageStatus { active, archived, activating };
enum class StorageClass { standard, archive };

// ECR's spelling: "ACTIVE", "ARCHIVED", "ACTIVATING"; parse_image_status reads it back (nullopt
// for anything else, the caller decides what an unknown status means).
std::string_view to_string(ImageStatus status);
std::optional<ImageStatus> parse_image_status(std::string_view text);

struct ImageRecord {
  std::string digest;             // "sha256:..."
  std::vector<std::string> tags;  // empty: untagged
  EpochMillis pushed_at = 0;
  std::optional<EpochMillis> last_pulled_at;     // lastRecordedPullTime
  std::optional<EpochMillis> last_archived_at;   // lastArchivedAt
  std::optional<EpochMillis> last_activated_at;  // lastActivatedAt (restored from archive)
  std::uint64_t size_bytes = 0;
  ImageStatus status = ImageStatus::active;
  // Interned: a million images share a handful of media types (reads like a const std::string&).
  InternedString manifest_media_type;  // imageManifestMediaType
  InternedString artifact_media_type;  // artifactMediaType

  // From the manifest body, when it was read: an image index / manifest list names its children;
  // an OCI artifact (signature, SBOM, attestation) names its subject.
  std::vector<std::string> child_digests;
  std::optional<std::string> subject_digest;
  // The manifest body itself, when a backend fetched it (journaled before deletion).
  std::optional<std::string> manifest;

  bool tagged() const { return !tags.empty(); }
  StorageClass storage_class() const {
    return status == ImageStatus::active ? StorageClass::standard : StorageClass::archive;
  }
  bool is_index() const {
    return !child_digests.empty() || is_index_media_type(manifest_media_type);
  }

  static bool is_index_media_type(const std::string& media_type);
};

struct Repository {
  std::string name;
  std::string registry_id;  // account id for ECR; empty for snapshots that do not say
  std::string region;       // empty when unknown
  std::vector<ImageRecord> images;
};

// Everything a source listed. A repository whose listing failed is not here but in `skipped`, with
// the reason: it is never evaluated on partial data (ARCHITECTURE.md safety rule 1).
struct SkippedRepository {
  std::string name;
  std::string reason;
};

struct Inventory {
  std::vector<Repository> repositories;
  std::vector<SkippedRepository> skipped;
};

}  // namespace regsweep
