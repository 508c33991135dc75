// Which repositories a command that names images works on (delete, restore): plain names as they
// are (no DescribeRepositories call needed), globs matched here against the listing — never sent
// to the registry. A glob that matches nothing is an error, not an empty success.
#pragma once

#include <string>
#include <vector>

#include "registry/registry.hpp"
#include "util/result.hpp"

namespace regsweep {

struct RepositoryNames {
  std::vector<std::string> names;  // without duplicates, in the order given (or listed)
  bool from_globs = false;         // some name had a wildcard: the registry was listed
};

// `flag` names the option in errors ("--repository-name").
Result<RepositoryNames> resolve_repository_names(Registry& registry,
                                                 const std::vector<std::string>& globs,
                                                 const std::string& flag);

// Before anything is opened: such a command works on one registry (`registries` opened) and needs
// --repository-name; `glob_flag` is the selection a glob is for ("--untagged", "--archived").
Status check_named_repositories(std::size_t registries, const std::vector<std::string>& globs,
                                const std::string& command, const std::string& glob_flag);

// --tag and --digest name images of one repository: several resolved names are an error unless
// `several_allowed` (the glob's selection was given).
Status check_one_repository(const RepositoryNames& resolved, bool several_allowed);

}  // namespace regsweep
