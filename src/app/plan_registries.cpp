#include "app/plan_registries.hpp"

#include <algorithm>

#include "app/pull_time_exclusion.hpp"
#include "plan/plan_warnings.hpp"

namespace regsweep {
namespace {

std::vector<std::string> unmatched_globs(const FleetPlan& fleet,
                                         const std::vector<std::string>& globs) {
  std::vector<std::string> unmatched;
  if (!fleet.unlisted.empty()) return unmatched;
  for (const auto& glob : globs) {
    // "*" matching nothing is an empty registry, not a typo.
    if (glob.find_first_not_of('*') == std::string::npos) continue;
    bool matched = false;
    for (const auto& repo_plan : fleet.merged.repositories)
      matched = matched || repository_selected({glob}, repo_plan.repository->name);
    for (const auto& entry : fleet.registries)
      for (const auto& skipped : entry.run.plan.skipped)
        matched = matched || repository_selected({glob}, skipped.name);
    if (!matched) unmatched.push_back(glob);
  }
  return unmatched;
}

}  // namespace

std::vector<LabelledRegistry> labelled(const std::vector<OpenedRegistry>& opened) {
  std::vector<LabelledRegistry> out;
  for (const auto& o : opened) out.push_back({o.label, o.registry.get(), o.region});
  return out;
}

PlanOutcome plan_registries(const std::vector<OpenedRegistry>& opened, const Policy& policy,
                            const PlanRequest& request, Clock& clock, Events& events) {
  warn_if_pulls_count(opened, policy, events);
  PlanOptions options = request.plan;
  const bool live = std::any_of(opened.begin(), opened.end(),
                                [](const OpenedRegistry& o) { return !o.region.empty(); });
  if (live) options.protection.clock = clock.now();
  ScanOptions scan;
  scan.repository_globs = options.repository_globs;
  scan.concurrency = request.concurrency;
  scan.on_progress = [&](std::size_t done, std::size_t total) {
    events.progress({Progress::Phase::listing, "", done, total, 0, 0});
  };
  PlanOutcome outcome;
  outcome.fleet = plan_fleet(labelled(opened), policy, options, scan);
  for (const auto& u : outcome.fleet.unlisted) {
    events.warn("registry " + u.name + " could not be listed, nothing planned there: " + u.reason);
  }
  outcome.warnings = plan_warnings(outcome.fleet.merged.totals);
  for (const auto& warning : outcome.warnings) events.warn(warning);
  outcome.unmatched_globs = unmatched_globs(outcome.fleet, options.repository_globs);
  for (const auto& glob : outcome.unmatched_globs) {
    events.warn("--repository-name '" + glob +
                "' matches no repository; check the name ('*' and '?' are the wildcards)");
  }
  return outcome;
}

}  // namespace regsweep
