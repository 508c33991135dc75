// A Registry seen through a RepositorySelection (include and exclude globs): list_repositories()
// returns only the selected repositories, and every per-repository call on an unselected one is
// refused. `run --config` wraps each target's registries in one, so a target's exclusions hold
// for planning, deleting and installing policies alike, whatever code path reaches the registry.
#pragma once

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "registry/registry.hpp"

namespace regsweep {

// Which repositories a command or config target works on: included by a glob ('*', '?') and not
// excluded by one.
struct RepositorySelection {
  std::vector<std::string> include = {"*"};
  std::vector<std::string> exclude;
  bool matches(const std::string& repository) const;
};

// Which include globs matched a repository (before exclusions) in the listings of the registries
// it is given to: an include that matches nothing at all is a typo, one that matches only
// excluded repositories is not. Thread-safe.
class SelectionWitness {
 public:
  void saw(const std::string& glob);
  void listing_failed();
  // The include globs never seen (globs of '*' alone are never reported: an empty registry);
  // nothing when a listing failed (what it would have shown is unknown).
  std::vector<std::string> unmatched(const RepositorySelection& selection) const;

 private:
  mutable std::mutex m_mutex;
  std::set<std::string> m_matched;
  bool m_listing_failed = false;
};

// `inner` (and `witness`, when given) must outlive the returned registry.
std::unique_ptr<Registry> select_repositories(Registry& inner, RepositorySelection selection,
                                              SelectionWitness* witness = nullptr);

}  // namespace regsweep
