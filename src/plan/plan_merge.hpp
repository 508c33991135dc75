// `regsweep plan merge`: the plan documents of several workers (`plan --shard-index I
// --shard-count N --save-plan shard-I.json`, docs/plan-json.md) joined into one document for
// review, and for `apply --plan merged.json` (by shard or whole). The result is an ordinary plan
// document of the current schema (k_plan_schema): every repository, image, skipped repository and
// skipped registry of every input in input order, `sources` joined (a plan of one registry without
// `sources` contributes one made from its `source` and its repositories' registryId and region),
// `totals` summed, no `shard`. Plans of schema 1 (sources[].account, skippedRegistries[].registry)
// are read too, and their entries written with the current names (registryId, label).
//
// Refused, before a byte is written (invalid_input, "plan merge: FILE: problem; fix"): a document
// that is not schema 1 or 2; a `now`, `policy`, `pricePerGbMonth` or `archivePricePerGbMonth` that
// differs from the first document's (plans made at different times or with different policies do
// not add up); one registry (account and region, or a skipped registry's label) or one repository
// in two documents; shard documents mixed with unsharded ones, with different counts, the same
// index twice, or an index missing (a merged plan that silently lacks a shard would look
// complete). Pure: the texts come in, the document goes to the sink, a summary comes back.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plan/plan.hpp"
#include "plan/plan_json.hpp"
#include "util/json_writer.hpp"
#include "util/result.hpp"

namespace regsweep {

struct PlanText {
  std::string name;  // the file, for messages
  std::string_view text;
};

// What was merged, for the command's table: each input, then the whole.
struct MergedPlanPart {
  std::string name;
  std::optional<PlanShard> shard;
  std::size_t registries = 0;  // its sources
  std::size_t skipped_repositories = 0;
  std::size_t skipped_registries = 0;
  PlanTotals totals;
};
struct MergedPlanSummary {
  std::vector<MergedPlanPart> parts;  // in input order
  std::size_t registries = 0;
  std::size_t skipped_repositories = 0;
  std::size_t skipped_registries = 0;
  PlanTotals totals;
};

Result<MergedPlanSummary> merge_plan_documents(const std::vector<PlanText>& plans,
                                               JsonWriter::Sink sink);

}  // namespace regsweep
