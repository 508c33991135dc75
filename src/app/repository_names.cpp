#include "app/repository_names.hpp"

#include <algorithm>

#include "util/glob.hpp"

namespace regsweep {

Status check_named_repositories(std::size_t registries, const std::vector<std::string>& globs,
                                const std::string& command, const std::string& glob_flag) {
  if (registries != 1) {
    return make_error(ErrorCode::invalid_input,
                      command + " works on one registry at a time; give one --region");
  }
  if (globs.empty()) {
    return make_error(ErrorCode::invalid_input,
                      "--repository-name: name the repository (a glob for " + glob_flag + ")");
  }
  return ok_status();
}

Status check_one_repository(const RepositoryNames& resolved, bool several_allowed) {
  if (several_allowed || resolved.names.size() <= 1) return ok_status();
  std::string list;
  for (const auto& name : resolved.names) list += (list.empty() ? "" : ", ") + name;
  return make_error(ErrorCode::invalid_input,
                    "--tag and --digest name images of one repository; --repository-name selects " +
                        std::to_string(resolved.names.size()) + ": " + list);
}

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
