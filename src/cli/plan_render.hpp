// Showing a fleet plan (app/plan_fleet.hpp) to people and machines. One registry: the plan table
// (cli/plan_table.hpp) or the plan-json document (plan/plan_json.hpp). Several (accounts x
// regions): the table has a section per registry ("== LABEL (SOURCE) ==") and totals over all; the
// JSON stays one document whose repositories carry registryId and region, with a top-level
// "sources" array; text is one IMAGE line per image, SKIPPED lines and a TOTALS line
// (docs/output.md). `plan --save-plan FILE` writes the JSON document to a file (atomically).
#pragma once

#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/plan_fleet.hpp"
#include "app/registry_sources.hpp"
#include "cli/output.hpp"
#include "plan/plan_json.hpp"
#include "policy/policy.hpp"
#include "util/result.hpp"

namespace regsweep::cli {

struct PlanRenderOptions {
  OutputFormat format = OutputFormat::table;
  std::size_t max_rows = 0;
  bool quiet = false;  // table: totals only
  std::optional<PlanShard> shard =
      std::nullopt;  // JSON: one worker's part of a fleet ("shard", and "sources")
};

// The table, the JSON document or the text records on stdout. Leaves the plan as it was (repository
// plans are lent to per-registry views, not copied).
void render_fleet_plan(FleetPlan& fleet, const Policy& policy,
                       const std::vector<OpenedRegistry>& opened, const PlanRenderOptions& options);

// The table alone (what `apply` and `run` show before deleting).
void render_fleet_table(FleetPlan& fleet, const Policy& policy, const PlanRenderOptions& options);

// The plan document's top-level "sources": label, source, account, region of each registry.
nlohmann::json sources_of(const std::vector<OpenedRegistry>& opened);

// The options of the plan-json document of a fleet plan (source, sources, skipped registries).
// With a shard, "sources" is written even for one registry or none: `plan merge` joins them.
PlanJsonOptions plan_json_options(const std::vector<OpenedRegistry>& opened, const FleetPlan& fleet,
                                  std::optional<PlanShard> shard = std::nullopt);

// "API calls: 801 (BatchDeleteImage 200, BatchGetImage 200, DescribeImages 400, ...)"; empty
// when no call was made (a snapshot).
std::string api_calls_line(const ApiCalls& calls);

// The text records of a plan (every image, then skipped repositories and the totals).
void render_plan_text(const Plan& plan, const std::function<void(std::string_view)>& sink,
                      bool with_totals = true);
// The TOTALS record.
std::string totals_record(const PlanTotals& totals);

// `plan --save-plan FILE`: the JSON document written to FILE.tmp, fsync'd and renamed, so a
// half-written plan is never left where `apply --plan` would read it.
Status save_plan_json(const std::string& path, FleetPlan& fleet, const Policy& policy,
                      const std::vector<OpenedRegistry>& opened,
                      std::optional<PlanShard> shard = std::nullopt);

}  // namespace regsweep::cli
