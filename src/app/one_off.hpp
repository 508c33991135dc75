// One-off deletions, the ones people do today in the console or with `aws ecr batch-delete-image`:
// by tag, by digest, all untagged images, or untagged images older than a duration. Pure: the
// repository's current images and `now` come in, the items to delete (for apply_deletions) and
// what could not be found come out.
//
// Semantics follow ECR's BatchDeleteImage: a --tag removes that tag, and the image goes only when
// its last tag goes; a --digest removes the image with all its tags. --untagged never selects the
// child of an image index that stays, nor a referrer (signature, SBOM) whose subject stays
// (ARCHITECTURE.md safety rule 2): per-platform manifests of multi-arch images are untagged too.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/deletions.hpp"
#include "model/image.hpp"
#include "util/result.hpp"
#include "util/time.hpp"

namespace regsweep {

struct OneOffSelection {
  std::vector<std::string> tags;
  std::vector<std::string> digests;
  bool untagged = false;
  std::optional<EpochMillis>
      older_than;  // with untagged: pushed (or restored) longer ago than this
};

struct OneOffPlan {
  RepositoryDeletions deletions;
  std::vector<std::string> not_found;  // tags and digests named but not in the repository
  std::size_t protected_count = 0;     // untagged images kept because a kept image references them
};

// invalid_input when the selection is empty or mixes --untagged with --tag/--digest, or uses
// --older-than without --untagged.
Status validate_selection(const OneOffSelection& selection);

Result<OneOffPlan> plan_one_off(const std::string& repository,
                                const std::vector<ImageRecord>& images,
                                const OneOffSelection& selection, EpochMillis now);

}  // namespace regsweep
