// A Registry seen through a RepositorySelection (include and exclude globs): list_repositories()
// returns only the selected repositories, and every per-repository call on an unselected one is
// refused. `run --config` wraps each target's registries in one, so a target's exclusions hold
// for planning, deleting and installing policies alike, whatever code path reaches the registry.
#pragma once

#include <memory>

#include "registry/registry.hpp"
#include "sweep/policy_fleet.hpp"

namespace regsweep {

// `inner` must outlive the returned registry.
std::unique_ptr<Registry> select_repositories(Registry& inner, RepositorySelection selection);

}  // namespace regsweep
