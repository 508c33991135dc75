#include "util/result.hpp"

namespace regsweep {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_input:
      return "invalid_input";
    case ErrorCode::not_found:
      return "not_found";
    case ErrorCode::unauthorized:
      return "unauthorized";
    case ErrorCode::forbidden:
      return "forbidden";
    case ErrorCode::throttled:
      return "throttled";
    case ErrorCode::transient:
      return "transient";
    case ErrorCode::conflict:
      return "conflict";
    case ErrorCode::internal:
      return "internal";
  }
  return "internal";
}

}  // namespace regsweep
