// `regsweep plan merge`: the plan documents of several workers (`plan --shard-index I
// --shard-count N -o shard-I.json`, docs/plan-json.md) joined into one document for review, and
// for `apply --plan merged.json` (by shard or whole). The result is an ordinary schema-1 document:
// every repository, image, skipped repository and skipped registry of every input in input order,
// `sources` joined (a plan of one registry without `sources` contributes one made from its
// `source` and its repositories' registryId and region), `totals` summed, no `shard`.
//
// Refused, before a byte is written (invalid_input, "plan merge: FILE: problem; fix"): a document
// that is not schema 1; a `now`, `policy`, `pricePerGbMonth` or `archivePricePerGbMonth` that
// differs from the first document's (plans made at different times or with different policies do
// not add up); one registry (account and region, or a skipped registry's label) or one repository
// in two documents; shard documents mixed with unsharded ones, with different counts, the same
// index twice, or an index missing (a merged plan that silently lacks a shard would look
// complete). Pure: the texts come in, the document goes to the sink.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/json_writer.hpp"
#include "util/result.hpp"

namespace regsweep {

struct PlanText {
  std::string name;  // the file, for messages
  std::string_view text;
};

Status merge_plan_documents(const std::vector<PlanText>& plans, JsonWriter::Sink sink);

}  // namespace regsweep
