#include "app/repository_names.hpp"

#include <algorithm>

#include "util/glob.hpp"

namespace regsweep {

Result<RepositoryNames> resolve_repository_names(Registry& registry,
                                                 const std::vector<std::string>& globs,
                                                 const std::string& flag) {
  RepositoryNames out;
  out.from_globs = std::any_of(globs.begin(), globs.end(), [](const std::string& glob) {
    return glob.find_first_of("*?") != std::string::npos;
  });
  if (!out.from_globs) {
    for (const auto& name : globs)
      if (std::find(out.names.begin(), out.names.end(), name) == out.names.end())
        out.names.push_back(name);
    return out;
  }
  auto listed = registry.list_repositories();
  if (!listed) return std::move(listed).take_error();
  for (const auto& info : *listed)
    if (repository_selected(globs, info.name)) out.names.push_back(info.name);
  if (out.names.empty()) {
    return make_error(ErrorCode::invalid_input,
                      flag +
                          ": no repository matches; check the name ('*' and '?' are the "
                          "wildcards)");
  }
  return out;
}

}  // namespace regsweep
