// `regsweep apply --plan FILE`: deletes what a plan saved earlier (`plan -o FILE`) marked expire,
// and nothing else. Each repository is listed again; an image that is gone, was re-tagged or is
// now referenced by a kept index is not deleted (saved_plan.hpp), and regsweep's protections
// (in use, --min-age, never empty, --max-delete) are applied again to what remains, because what
// runs in production may have changed since the plan was made. Cascades never add images the
// plan did not list. Then the deletion half of apply (apply_flow.hpp): one question, journal,
// locks, re-check of each batch.
//
// Every repository of the plan must belong to exactly one opened registry (by the plan's
// registryId and region); otherwise nothing at all is deleted (exit 2).
#pragma once

#include <string>
#include <vector>

#include "cli/apply_flow.hpp"
#include "cli/saved_plan.hpp"

namespace regsweep::cli {

FlowResult run_saved_plan_flow(const std::vector<OpenedRegistry>& opened, const SavedPlan& saved,
                               const std::string& file, const FlowOptions& options);

}  // namespace regsweep::cli
