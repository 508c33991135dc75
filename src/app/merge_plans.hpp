// The plan merge use case (`regsweep plan merge FILE...`): the plan documents of several shards
// read whole (util/input_file.hpp) and joined into one (plan/plan_merge.hpp), written to `sink`
// only once every check has passed; what was merged comes back for the command's summary.
#pragma once

#include <string>
#include <vector>

#include "plan/plan_merge.hpp"
#include "util/json_writer.hpp"
#include "util/result.hpp"

namespace regsweep {

// invalid_input naming the file when one cannot be read or the documents do not fit together.
Result<MergedPlanSummary> merge_plan_files(const std::vector<std::string>& paths,
                                           JsonWriter::Sink sink);

}  // namespace regsweep
