// The policy preview use case (`policy preview`): every repository planned with the lifecycle
// policy installed on it — the instant, local answer to ECR's slow per-repository
// StartLifecyclePolicyPreview. Repositories are grouped by their (normalised) installed policy and
// each group is planned with it; those without a policy are a group of their own with every image
// kept (an empty policy selects nothing). Live registries are planned as apply would delete from
// them (fresh images by the real clock kept).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/concurrency.hpp"
#include "app/events.hpp"
#include "app/registry_sources.hpp"
#include "plan/plan.hpp"
#include "util/clock.hpp"

namespace regsweep {

struct PreviewRequest {
  PlanOptions plan;  // now, prices, globs, protections
  int concurrency = k_default_concurrency;
};

// The repositories of one registry that share one installed policy, planned with it.
struct PolicyGroup {
  std::string label;             // the registry
  std::optional<Policy> policy;  // nullopt: no policy installed
  Plan plan;
};

struct PolicyPreview {
  std::vector<std::shared_ptr<const Inventory>> inventories;  // kept alive for the plans
  std::vector<PolicyGroup> groups;
  std::vector<SkippedRepository> skipped;   // a listing or a policy read failed, or it is invalid
  std::vector<SkippedRepository> unlisted;  // registries that could not be listed
  PlanTotals totals;
  bool complete() const { return skipped.empty() && unlisted.empty(); }
};

PolicyPreview preview_installed_policies(const std::vector<OpenedRegistry>& opened,
                                         const PreviewRequest& request, Clock& clock,
                                         Events& events);

}  // namespace regsweep
