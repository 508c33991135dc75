#include "plan/archive_minimum.hpp"

#include <algorithm>

#include "util/size.hpp"

namespace regsweep {

std::optional<EarlyDeletion> early_deletion(const ImageRecord& image, EpochMillis now,
                                            double archive_price_per_gb_month) {
  if (image.status == ImageStatus::active) return std::nullopt;
  EarlyDeletion early;
  if (image.last_archived_at) {
    const EpochMillis age = std::max<EpochMillis>(0, now - *image.last_archived_at);
    early.days_archived = age / k_millis_per_day;
  }
  if (early.days_archived >= k_archive_minimum_days) return std::nullopt;
  early.days_charged = k_archive_minimum_days - early.days_archived;
  early.charge = monthly_cost(image.size_bytes, archive_price_per_gb_month) *
                 static_cast<double>(early.days_charged) / 30.0;
  return early;
}

}  // namespace regsweep
