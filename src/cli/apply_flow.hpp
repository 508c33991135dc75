// The plan -> render -> consent -> journal -> apply -> report flow over one or several registries,
// shared by `plan`, `apply`, `policy preview` and `run --config` so they cannot drift apart.
//
// Output. One registry: exactly the single-registry table and JSON of before. Several (accounts x
// regions): the table has a heading per registry and totals over all; the JSON stays one
// plan-json document (schema 1) whose repositories carry registryId and region, with a top-level
// "sources" array. Apply asks one question for the whole fleet (or none: FlowOptions::ask), opens
// one journal, and deletes registry by registry; its report names repositories "LABEL/NAME" when
// there are several registries.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/apply_report.hpp"
#include "cli/ecr_fleet.hpp"
#include "plan/plan.hpp"
#include "policy/policy.hpp"
#include "app/deletions.hpp"
#include "app/plan_fleet.hpp"

namespace regsweep::cli {

struct FlowOptions {
  std::string command = "plan";  // for messages: "plan", "apply", "run: target production"
  PlanOptions plan;              // now, prices, globs, protections (filled by the caller)
  int concurrency = 4;
  bool json = false;
  bool render = true;  // false: print nothing but problems (run's JSON summary mode)
  std::size_t max_rows = 0;
  bool quiet = false;
  // apply only
  bool yes = false;
  bool ask = true;      // without --yes: ask on a terminal (apply), or just plan (run: false)
  std::string journal;  // empty: the default state directory
  // plan only: also write the plan JSON document here (`plan -o FILE`), for `apply --plan FILE`
  std::string save_plan;
};

struct FlowResult {
  int exit_code = 0;
  PlanTotals planned;  // over every registry
  std::size_t skipped_repositories = 0;
  std::size_t unlisted_registries = 0;  // could not be listed at all (reported on stderr)
  bool applied = false;                 // deletions were sent
  bool save_failed = false;             // plan -o FILE could not be written (reported already)
  std::size_t deleted = 0, gone = 0, skipped = 0, failed = 0;
  std::uint64_t bytes_freed = 0;
  // --repository-name globs that matched no repository of any registry (warned on stderr).
  std::vector<std::string> unmatched_globs;
};

std::vector<LabelledRegistry> labelled(const std::vector<OpenedRegistry>& opened);

// The plan document's top-level "sources" (docs/plan-json.md): label, source, account, region of
// each opened registry, in order.
nlohmann::json sources_of(const std::vector<OpenedRegistry>& opened);

// "plan" and "policy preview": renders an already built fleet plan (table or JSON). Leaves the
// plan as it was (repository plans are lent to per-registry views, not copied).
void render_fleet_plan(FleetPlan& fleet, const Policy& policy,
                       const std::vector<OpenedRegistry>& opened, const FlowOptions& options);

// plan: plan every registry with `policy`, render, exit 1 when anything was skipped.
FlowResult run_plan_flow(const std::vector<OpenedRegistry>& opened, const Policy& policy,
                         const FlowOptions& options);

// apply: plan, render (table), ask once, journal, delete, report.
FlowResult run_apply_flow(const std::vector<OpenedRegistry>& opened, const Policy& policy,
                          const FlowOptions& options);

// The second half of apply, shared with `apply --plan` (cli/saved_plan_flow): `work[r]` are the
// deletions in `opened[r]`. Asks once (or not: options.yes / options.ask), opens the journal and
// lock directory, settles deletions an interrupted run left open, deletes registry by registry
// and reports. `result` carries what the caller already knows (planned totals); `plan_exit` is
// the exit code of the planning step (1 when something was skipped).
FlowResult delete_planned(const std::vector<OpenedRegistry>& opened,
                          const std::vector<std::vector<RepositoryDeletions>>& work,
                          const ApplyRenderOptions& render, int plan_exit,
                          const FlowOptions& options, FlowResult result);

}  // namespace regsweep::cli
