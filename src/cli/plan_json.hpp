// A Plan as JSON, the stable machine-readable schema documented in docs/plan-json.md
// (schemaVersion 1). Streams through a JsonWriter sink: a million images are written without
// building a DOM, in Inventory order, every image of every planned repository (kept ones too).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "plan/plan.hpp"
#include "policy/policy.hpp"
#include "util/json_writer.hpp"

namespace regsweep::cli {

struct PlanJsonOptions {
  std::string source;  // what was planned, e.g. "snapshot examples/demo-registry.json"
  // Several registries (issue 5): a JSON array written as the top-level "sources" member when not
  // empty, e.g. [{"label":"111111111111/eu-west-1","account":"111111111111","region":"eu-west-1"}].
  std::string sources_json;
  // Registries whose repositories could not be listed at all: "skippedRegistries".
  std::vector<SkippedRepository> skipped_registries;
};

void render_plan_json(const Plan& plan, const Policy& policy, const PlanJsonOptions& options,
                      JsonWriter::Sink sink);

// Stable codes for VerdictReason ("countExceeded"), part of the documented schema.
std::string_view reason_code(VerdictReason reason);

}  // namespace regsweep::cli
