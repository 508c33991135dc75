// The restore use case (`regsweep restore`): archived images back to standard storage with
// UpdateImageStorageClass (STANDARD) — by --tag, by --digest, or every archived image of the
// selected repositories (--archived), optionally only those pushed (or last restored) longer ago
// than --older-than or more recently than --newer-than. ECR answers ACTIVATING and finishes within
// about 20 minutes; AWS charges a retrieval fee per GB restored (docs/pricing.md), which the
// preview states. Same consent rule, journal, locks and re-check as every deletion
// (app/deleting.hpp): an image no longer ARCHIVED at the re-check is left alone and reported.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/deleting.hpp"
#include "util/time.hpp"

namespace regsweep {

struct RestoreSelection {
  std::vector<std::string> tags;
  std::vector<std::string> digests;
  bool archived = false;                  // every archived image of the selected repositories
  std::optional<EpochMillis> older_than;  // with archived: pushed (or restored) before now - this
  std::optional<EpochMillis> newer_than;  // with archived: pushed (or restored) after now - this
};

// invalid_input when nothing is selected, --archived is mixed with --tag/--digest, or an age
// filter comes without --archived.
Status validate_restore_selection(const RestoreSelection& selection);

struct RestorePick {
  RepositoryDeletions work;               // items with ItemAction::restore
  std::vector<std::string> not_found;     // tags and digests not in the repository
  std::vector<std::string> not_archived;  // named, but active or already being restored
};

// Pure: which of `images` (one repository's listing, archived ones included) to restore.
RestorePick pick_restores(const std::string& repository, const std::vector<ImageRecord>& images,
                          const RestoreSelection& selection, EpochMillis now);

struct RestoreOutcome;

struct RestoreRequest {
  std::vector<std::string> repository_globs;  // --tag/--digest: exactly one repository
  RestoreSelection selection;
  double retrieval_price_per_gb = 0.03;  // ECR's restore (retrieval) fee, us-east-1 list price
  SessionOptions session;
  ConsentRules consent;
  std::function<void(const RestoreOutcome&)> on_planned;  // the preview, before the question
};

struct RestoreOutcome {
  std::vector<RepositoryDeletions> work;
  std::vector<std::string> not_found;     // "REPOSITORY: NAME"
  std::vector<std::string> not_archived;  // "REPOSITORY: NAME (ACTIVE)"
  std::size_t skipped_repositories = 0;   // listing failed: nothing done there
  double retrieval_fee = 0.0;             // dollars, once, for what is to be restored
  DeletionOutcome deletion;
};

// `opened` holds the one registry to restore in.
RestoreOutcome restore_images(const std::vector<OpenedRegistry>& opened,
                              const RestoreRequest& request, Clock& clock, Events& events);

}  // namespace regsweep
