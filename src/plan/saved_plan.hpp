// A plan saved by `regsweep plan --output json` (docs/plan-json.md, schema 2; schema 1 plans are
// read too: the fields read here are the same in both), read back for `apply --plan FILE`: per
// repository (with registryId/region when the plan has them), the images the plan marked `expire`
// or `transition`. Nothing else of the document is trusted or needed; kept images are not read at
// all (an image absent from the expire and transition lists is never touched).
//
// Reading is strict: another schemaVersion, or an expiring image with a missing or mistyped field,
// rejects the whole file with "FILE: repositories[2].images[5].imageTags: problem; fix". A plan
// that cannot be read completely is not applied partly.
//
// match_saved_repository() matches the saved list against a fresh listing: an image that is
// gone, whose tags changed, or that a live image outside the list now references (index child,
// referrer subject) is not deleted but reported. The deletion still re-checks each batch
// (app/deletions.hpp). Pure: reading the file is app/apply_saved_plan's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/image.hpp"
#include "util/result.hpp"
#include "util/time.hpp"

namespace regsweep {

struct SavedImage {
  std::string digest;
  std::vector<std::string> tags;
  std::uint64_t size_bytes = 0;
  EpochMillis pushed_at = 0;
  std::optional<int> rule_priority;  // appliedRulePriority
  std::string reason;
};

struct SavedRepository {
  std::string repository;
  std::string registry_id;  // empty when the plan did not say
  std::string region;       // empty when the plan did not say
  std::vector<SavedImage> expiring;
  std::vector<SavedImage> transitioning = {};  // action "transition": archived by apply
};

struct SavedPlan {
  std::string source;
  EpochMillis now = 0;
  std::vector<SavedRepository> repositories;  // every repository of the plan, in plan order
};

inline constexpr int k_saved_plan_schema = 2;
// The oldest schema still read (1 differs from 2 only in fields a saved plan does not use).
inline constexpr int k_oldest_saved_plan_schema = 1;

// `file` names the document in errors. invalid_input on any problem.
Result<SavedPlan> parse_saved_plan(std::string_view text, const std::string& file);
struct SavedPlanMismatch {
  std::string repository;
  std::string digest;
  std::string problem;      // "no longer in the repository", "tags changed since the plan: a -> b"
  bool transition = false;  // a transition (archive) of the plan, not a deletion
};

// An image of the plan that is still as planned: the live record and why the plan expires it.
struct StillPlanned {
  const ImageRecord* image = nullptr;  // points into `live`
  std::string reason;
};

// The saved repository's expiring images that are still as planned in `live` (the repository's
// listing now); the others go into `mismatches`.
std::vector<StillPlanned> match_saved_repository(const SavedRepository& saved,
                                                 const std::vector<ImageRecord>& live,
                                                 std::vector<SavedPlanMismatch>& mismatches);
// The same for its transitioning images; one no longer in standard storage (archived or being
// restored since) is a mismatch too.
std::vector<StillPlanned> match_saved_transitions(const SavedRepository& saved,
                                                  const std::vector<ImageRecord>& live,
                                                  std::vector<SavedPlanMismatch>& mismatches);

}  // namespace regsweep
