#include "registry/registry.hpp"

namespace regsweep {

std::string_view to_string(RegistryKind kind) {
  switch (kind) {
    case RegistryKind::ecr:
      return "ecr";
    case RegistryKind::snapshot:
      return "snapshot";
  }
  return "ecr";
}

}  // namespace regsweep
