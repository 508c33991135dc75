#include "http/http_client.hpp"

namespace regsweep {

std::string HttpResponse::header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers)
    if (name == lower_name) return value;
  return {};
}

bool has_control_character(std::string_view value) {
  for (const unsigned char c : value)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

}  // namespace regsweep
