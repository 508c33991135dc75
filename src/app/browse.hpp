// The browse use case (the web UI, issue 14): list every registry once and keep what was listed —
// each repository's images and the lifecycle policy installed on it — so that a front end can plan,
// sort and filter in memory as often as it likes, and list one repository again after it changed.
// Planning goes through the plan core exactly as `plan` (a chosen policy: plan_inventory) and
// `policy preview` (each repository's installed policy, repositories grouped by it) do, with the
// same PlanOptions and protections; live registries are planned as apply would delete from them
// (fresh images by the real clock kept). Nothing is printed and nothing is changed here.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/events.hpp"
#include "app/registry_sources.hpp"
#include "plan/plan.hpp"
#include "policy/policy.hpp"
#include "util/clock.hpp"

namespace regsweep {

struct BrowseRequest {
  std::vector<std::string> repository_globs;  // empty: every repository
  int concurrency = 4;
};

// What one registry held when it was listed.
struct BrowsedRegistry {
  std::string label;
  bool live = false;
  std::shared_ptr<const Inventory> inventory;  // null when the registry could not be listed
  std::string listing_error;                   // set: nothing of it is planned
  // By repository index of `inventory`: the installed policy's text (nullopt: none), or why it
  // could not be read (then the repository is planned with no policy only in chosen-policy mode).
  std::vector<std::optional<std::string>> installed;
  std::vector<std::string> installed_error;
};

// Lists every opened registry (repositories concurrently) and reads each repository's installed
// policy. A registry that cannot be listed is kept with its listing_error (a note says so).
std::vector<BrowsedRegistry> browse_registries(const std::vector<OpenedRegistry>& opened,
                                               const BrowseRequest& request, Events& events);

// Lists one repository again (after a deletion): a new inventory with that repository's images
// replaced (or removed when it is gone); the installed policy is read again too.
Status relist_repository(const OpenedRegistry& opened, BrowsedRegistry& browsed,
                         const std::string& repository);

// One group of repositories planned with one policy.
struct BrowsePlanGroup {
  std::shared_ptr<const Policy> policy;  // null: no policy installed (every image kept)
  std::string policy_text;               // as installed or given
  Plan plan;
};

struct BrowsePlan {
  std::vector<BrowsePlanGroup> groups;
  std::vector<SkippedRepository> skipped;  // installed policy unreadable or invalid
  PlanTotals totals;
};

// Plans a browsed registry with `chosen` (every repository, the `plan` path) or, when null, each
// repository with its installed policy (the `policy preview` path). `options.protection.clock` is
// set from `clock` for live registries.
BrowsePlan plan_browsed(const BrowsedRegistry& browsed, const Policy* chosen,
                        const std::string& chosen_text, const PlanOptions& options, Clock& clock);

}  // namespace regsweep
