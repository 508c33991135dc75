// What `regsweep --version` prints: "regsweep VERSION (commit COMMIT, BUILD_TYPE)". The commit is
// read from git at build time (cmake/build_info.cmake), "unknown" when the source had no git.
#pragma once

#include <string>

namespace regsweep::cli {

std::string version_text();

}  // namespace regsweep::cli
