// ECR's archive storage class has a 90-day minimum storage duration: an archived image deleted
// earlier is charged for the rest of the 90 days (AWS user guide, "Archiving an image"; ECR's own
// lifecycle rules cannot do it, BatchDeleteImage can). This says whether deleting an image now is
// such an early deletion and what it costs, so plan, apply, delete and the UI can warn with the
// number. Pure.
//
// The charge: size x archive price per GB-month x days left / 30 (AWS prorates storage by the day;
// a GB-month is taken as 30 days). An upper bound, like every byte figure here: layers shared with
// other archived images are charged once.
#pragma once

#include <cstdint>
#include <optional>

#include "model/image.hpp"
#include "util/time.hpp"

namespace regsweep {

inline constexpr std::int64_t k_archive_minimum_days = 90;

struct EarlyDeletion {
  std::int64_t days_archived = 0;  // whole days since lastArchivedAt
  std::int64_t days_charged = 0;   // what the minimum still charges: 90 - days_archived
  double charge = 0.0;             // dollars, once
};

// Set when `image` is archived (or being restored) with a lastArchivedAt less than 90 days before
// `now`. An archived image without lastArchivedAt is charged the whole 90 days: not knowing when
// it was archived is no reason to promise it is free.
std::optional<EarlyDeletion> early_deletion(const ImageRecord& image, EpochMillis now,
                                            double archive_price_per_gb_month);

}  // namespace regsweep
