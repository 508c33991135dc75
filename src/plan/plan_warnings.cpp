#include "plan/plan_warnings.hpp"

#include <fmt/format.h>

#include "plan/archive_minimum.hpp"
#include "util/size.hpp"

namespace regsweep {

std::vector<std::string> plan_warnings(const PlanTotals& totals) {
  std::vector<std::string> out;
  if (totals.indexes_without_manifest + totals.unknown_media_type > 0) {
    std::string what;
    if (totals.indexes_without_manifest > 0)
      what = counted(totals.indexes_without_manifest, "kept image index has",
                     "kept image indexes have") +
             " no manifest";
    if (totals.unknown_media_type > 0) {
      what += (what.empty() ? "" : " and ") +
              counted(totals.unknown_media_type, "kept image has", "kept images have") +
              " no media type (any may be an index)";
    }
    out.push_back(fmt::format(
        "{}, so the images they reference are not known: up to {} expiring may be their children "
        "and would be deleted from under them; fix: plan from a live registry or a snapshot taken "
        "with `regsweep snapshot` (it keeps the manifests of indexes), not from `aws ecr "
        "describe-images` output",
        what, counted(totals.maybe_unprotected_children, "untagged image", "untagged images")));
  }
  if (totals.early_deletions > 0) {
    out.push_back(fmt::format(
        "{} archived less than {} days ago: ECR charges the rest of the {}-day minimum storage "
        "duration when they are deleted, about ${:.2f} once",
        counted(totals.early_deletions, "expiring image was", "expiring images were"),
        k_archive_minimum_days, k_archive_minimum_days, totals.early_deletion_charge));
  }
  return out;
}

}  // namespace regsweep
