#include "model/image.hpp"

namespace regsweep {

std::string_view to_string(ImageStatus status) {
  switch (status) {
    case ImageStatus::active:
      return "ACTIVE";
    case ImageStatus::archived:
      return "ARCHIVED";
    case ImageStatus::activating:
      return "ACTIVATING";
  }
  return "ACTIVE";
}

std::optional<ImageStatus> parse_image_status(std::string_view text) {
  if (text == "ACTIVE") return ImageStatus::active;
  if (text == "ARCHIVED") return ImageStatus::archived;
  if (text == "ACTIVATING") return ImageStatus::activating;
  return std::nullopt;
}

bool ImageRecord::is_index_media_type(const std::string& media_type) {
  return media_type == "application/vnd.oci.image.index.v1+json" ||
         media_type == "application/vnd.docker.distribution.manifest.list.v2+json";
}

}  // namespace regsweep
