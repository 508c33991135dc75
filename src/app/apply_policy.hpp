// The apply use cases: plan with a policy and delete what it expires (`apply --policy`, the apply
// targets of `run`), or delete what a saved plan expires (`apply --plan`). Both end the same way:
// one consent question for the whole fleet, then a DeletionSession (journal, locks, settling of
// what earlier runs left open) and the deletions, registry by registry. Nothing is printed: the
// front end is told the plan (on_planned), asked once (ask), and renders the outcome.
//
// Consent comes first when given up front (`yes`): the session opens and settles the selected
// repositories' leftovers before anything is planned, also where nothing is left to delete now.
// Otherwise nothing — not even the journal — is touched before the answer.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/deleting.hpp"
#include "app/events.hpp"
#include "app/plan_registries.hpp"
#include "plan/saved_plan.hpp"
#include "util/clock.hpp"

namespace regsweep {

struct ApplyRequest {
  PlanRequest plan;
  SessionOptions session;
  ConsentRules consent;
  // Shown before the question. The front end may rearrange the plan while it renders, if it
  // leaves it as it was (cli/plan_render lends repository plans to per-registry views).
  std::function<void(PlanOutcome&)> on_planned;
  // Whose leftovers are settled (besides the repositories worked on); unset: the plan's globs.
  RepositoryFilter settle_filter;
};

struct ApplyOutcome {
  PlanOutcome planned;  // apply_policy only
  DeletionOutcome deletion;
  std::vector<SavedPlanMismatch> not_as_planned;  // apply_saved_plan: left alone, and why
  std::size_t skipped_repositories = 0;           // listing failed: nothing deleted there
};

ApplyOutcome apply_policy(const std::vector<OpenedRegistry>& opened, const Policy& policy,
                          const ApplyRequest& request, Clock& clock, Events& events);

// `file` names the plan in messages. Every repository of the plan must belong to exactly one of
// `opened` by its registry's identity; otherwise nothing at all is deleted (failed, invalid_input).
ApplyOutcome apply_saved_plan(const std::vector<OpenedRegistry>& opened, const SavedPlan& saved,
                              const std::string& file, const ApplyRequest& request, Clock& clock,
                              Events& events);

// Reads a saved plan (`--plan FILE`; "-": stdin).
Result<SavedPlan> read_saved_plan(const std::string& path);

}  // namespace regsweep
