#include "model/image.hpp"

namespace regsweep {

bool ImageRecord::is_index_media_type(const std::string& media_type) {
  return media_type == "application/vnd.oci.image.index.v1+json" ||
         media_type == "application/vnd.docker.distribution.manifest.list.v2+json";
}

}  // namespace regsweep
