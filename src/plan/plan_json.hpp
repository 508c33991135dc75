// A Plan as JSON, the stable machine-readable schema documented in docs/plan-json.md
// (schemaVersion 2). Streams through a JsonWriter sink: a million images are written without
// building a DOM, in Inventory order, every image of every planned repository (kept ones too).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "plan/plan.hpp"
#include "policy/policy.hpp"
#include "util/json_writer.hpp"

namespace regsweep {

// The schemaVersion written (docs/plan-json.md); 1 named sources[].registryId "account" and
// skippedRegistries[].label "registry".
inline constexpr int k_plan_schema = 2;

// One worker's part of a fleet (--shard-index/--shard-count): written as the top-level "shard".
struct PlanShard {
  std::uint32_t index = 0;
  std::uint32_t count = 1;
};

struct PlanJsonOptions {
  std::string source;  // what was planned, e.g. "snapshot examples/demo-registry.json"
  // Several registries (issue 5): a JSON array written as the top-level "sources" member when not
  // empty, e.g. [{"label":"111111111111/eu-west-1","registryId":"111111111111",
  // "region":"eu-west-1"}].
  std::string sources_json;
  // Registries whose repositories could not be listed at all: "skippedRegistries".
  std::vector<SkippedRepository> skipped_registries;
  // Requests sent to make the plan, per operation: "apiCalls" (empty for a snapshot).
  std::vector<std::pair<std::string, std::uint64_t>> api_calls;
  std::optional<PlanShard> shard = std::nullopt;
};

void render_plan_json(const Plan& plan, const Policy& policy, const PlanJsonOptions& options,
                      JsonWriter::Sink sink);

// A document of several plans (policy preview: each group of repositories planned with the policy
// installed on it). Same schema; each section's repositories may carry their own "policy" and
// "source", and the top-level "policy" is null when policy_json is unset.
struct PlanSection {
  const Plan* plan = nullptr;
  const Policy* policy = nullptr;
  std::optional<std::string> repository_policy_json;  // set: "policy" on each repository
  std::string repository_source;                      // non-empty: "source" on each repository
};

struct PlanDocument {
  std::string source;
  std::string sources_json;
  std::optional<PlanShard> shard = std::nullopt;
  EpochMillis now = 0;
  double price_per_gb_month = 0;
  double archive_price_per_gb_month = 0;
  std::optional<std::string> policy_json;
  std::vector<PlanSection> sections;
  std::vector<SkippedRepository> skipped_repositories;
  std::vector<SkippedRepository> skipped_registries;
  std::vector<std::pair<std::string, std::uint64_t>> api_calls;
  PlanTotals totals;
};

void render_plan_document(const PlanDocument& document, JsonWriter::Sink sink);

// The "totals"/"summary" object of plan documents, also used by other reports of a plan.
void write_plan_totals(JsonWriter& out, const PlanTotals& totals, bool with_repository_count);

// Stable codes for VerdictReason ("countExceeded"), part of the documented schema.
std::string_view reason_code(VerdictReason reason);

}  // namespace regsweep
