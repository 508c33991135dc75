#include "cli/version.hpp"

// Generated into the build directory at every build by cmake/build_info.cmake.
#include "regsweep_build_info.hpp"

namespace regsweep::cli {

std::string version_text() {
  return std::string("regsweep ") + build_info::k_version + " (commit " + build_info::k_git_commit +
         ", " + build_info::k_build_type + ")";
}

}  // namespace regsweep::cli
