#include "http/http_client.hpp"

namespace regsweep {

std::string HttpResponse::header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers)
    if (name == lower_name) return value;
  return {};
}

}  // namespace regsweep
