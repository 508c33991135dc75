#include "plan/plan_json.hpp"

#include <algorithm>
#include <thread>
#include <vector>

#include "plan/plan_warnings.hpp"
#include "policy/explain.hpp"
#include "util/parallel.hpp"

namespace regsweep {

std::string_view reason_code(VerdictReason reason) {
  switch (reason) {
    case VerdictReason::no_rule_selects:
      return "noRuleSelects";
    case VerdictReason::within_count:
      return "withinCount";
    case VerdictReason::too_recent:
      return "tooRecent";
    case VerdictReason::no_archive_time:
      return "noArchiveTime";
    case VerdictReason::being_restored:
      return "beingRestored";
    case VerdictReason::child_of_live_index:
      return "childOfLiveIndex";
    case VerdictReason::count_exceeded:
      return "countExceeded";
    case VerdictReason::age_exceeded:
      return "ageExceeded";
    case VerdictReason::follows_subject:
      return "followsSubject";
  }
  return "unknown";
}

namespace {

void write_optional_priority(JsonWriter& out, std::optional<std::int64_t> priority) {
  if (priority) {
    out.value(*priority);
  } else {
    out.null();
  }
}

}  // namespace

void write_plan_totals(JsonWriter& out, const PlanTotals& totals, bool with_repository_count) {
  out.begin_object();
  if (with_repository_count) {
    out.key("repositories");
    out.value(totals.repositories);
  }
  out.key("images");
  out.value(totals.images);
  out.key("expiring");
  out.value(totals.expiring);
  out.key("transitioning");
  out.value(totals.transitioning);
  out.key("kept");
  out.value(totals.kept);
  out.key("bytesTotal");
  out.value(totals.bytes_total);
  out.key("bytesExpiring");
  out.value(totals.bytes_expiring);
  out.key("bytesTransitioning");
  out.value(totals.bytes_transitioning);
  out.key("monthlySavings");
  out.value(totals.monthly_savings);
  out.key("earlyArchiveDeletions");
  out.value(totals.early_deletions);
  out.key("earlyDeletionCharge");
  out.value(totals.early_deletion_charge);
  out.key("indexesWithoutManifest");
  out.value(totals.indexes_without_manifest);
  out.key("unknownMediaType");
  out.value(totals.unknown_media_type);
  out.key("maybeUnprotectedChildren");
  out.value(totals.maybe_unprotected_children);
  out.end_object();
}

namespace {

void write_image(JsonWriter& out, const ImageRecord& image, const Verdict& verdict,
                 const Protection* protection, Explainer& explainer) {
  out.begin_object();
  out.key("imageDigest");
  out.value(image.digest);
  out.key("imageTags");
  out.begin_array();
  for (const auto& tag : image.tags) out.value(tag);
  out.end_array();
  out.key("imagePushedAt");
  out.timestamp(image.pushed_at);
  out.key("imageSizeInBytes");
  out.value(image.size_bytes);
  out.key("storageClass");
  out.plain_value(to_string(image.storage_class()));
  out.key("action");
  out.plain_value(to_string(verdict.action));
  out.key("appliedRulePriority");
  write_optional_priority(out, verdict.applied_rule_priority());
  out.key("rulePriority");
  write_optional_priority(out, verdict.rule_priority);
  out.key("reasonCode");
  out.plain_value(reason_code(verdict.reason));
  out.key("reason");
  if (protection) {
    out.value(explain_protection(*protection));
  } else {
    out.value(explainer(verdict));
  }
  if (protection) {
    out.key("protection");
    out.value(to_string(protection->kind));
  }
  out.end_object();
}

// One repository's object, as render_plan_json() embeds it in "repositories".
void write_repository(JsonWriter& out, const RepositoryPlan& repo_plan, const PlanSection& section,
                      Explainer& explainer) {
  const Repository& repo = *repo_plan.repository;
  out.begin_object();
  out.key("repositoryName");
  out.value(repo.name);
  if (!repo.registry_id.empty()) {
    out.key("registryId");
    out.value(repo.registry_id);
  }
  if (!repo.region.empty()) {  // issue 5: several regions
    out.key("region");
    out.value(repo.region);
  }
  if (section.repository_policy_json) {  // policy preview: each repository's own policy
    out.key("policy");
    out.raw(*section.repository_policy_json);
  }
  if (!section.repository_source.empty()) {
    out.key("source");
    out.value(section.repository_source);
  }
  out.key("summary");
  write_plan_totals(out, repo_plan.totals, false);
  out.key("images");
  out.begin_array();
  for (std::size_t i = 0; i < repo.images.size(); ++i) {
    out.newline();
    write_image(out, repo.images[i], repo_plan.verdicts[i], repo_plan.protection_of(i), explainer);
  }
  out.end_array();
  out.end_object();
}

// The repositories are rendered on both cores: a window of chunks (each a run of repositories
// holding about k_chunk_images images) is rendered in parallel into separate buffers, then the
// buffers are passed on in order, so the output is the same as a sequential render and memory
// stays bounded by one window.
constexpr std::size_t k_chunk_images = 8192;
constexpr std::size_t k_window_chunks = 16;
constexpr std::size_t k_reserve_per_image = 512;

void render_repositories(JsonWriter& out, const PlanSection& section) {
  const Plan& plan = *section.plan;
  const Policy& policy = *section.policy;
  const auto& repos = plan.repositories;
  if (repos.empty()) return;
  std::vector<std::size_t> bounds{0};  // chunk c covers repositories [bounds[c], bounds[c + 1])
  std::size_t images = 0;
  for (std::size_t r = 0; r < repos.size(); ++r) {
    images += repos[r].verdicts.size();
    if (images >= k_chunk_images || r + 1 == repos.size()) {
      bounds.push_back(r + 1);
      images = 0;
    }
  }
  const std::size_t chunks = bounds.size() - 1;
  const int threads = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 2u));
  // Each chunk is rendered as elements of an array, separators included ("{...},\n{...}"), and
  // moved out of its writer; the output writer passes it on as one piece, so the text is not
  // copied between the render and the sink.
  std::vector<std::string> rendered(std::min(chunks, k_window_chunks));
  for (std::size_t first = 0; first < chunks; first += k_window_chunks) {
    const std::size_t count = std::min(k_window_chunks, chunks - first);
    parallel_for(count, chunks == 1 ? 1 : threads, [&](std::size_t k) {
      Explainer explainer(policy, plan.now);
      JsonWriter writer;
      writer.reuse(std::move(rendered[k]));  // the previous window's buffer
      std::size_t images = 0;
      for (std::size_t r = bounds[first + k]; r < bounds[first + k + 1]; ++r)
        images += repos[r].verdicts.size();
      writer.reserve(images * k_reserve_per_image);  // no regrowth for typical images
      writer.begin_array();
      for (std::size_t r = bounds[first + k]; r < bounds[first + k + 1]; ++r) {
        writer.newline();
        write_repository(writer, repos[r], section, explainer);
      }
      rendered[k] = writer.take();
    });
    for (std::size_t k = 0; k < count; ++k) {
      out.newline();
      // The chunk's own "[\n" dropped; the writer puts the commas between pieces.
      out.raw(std::string_view(rendered[k]).substr(2));
    }
  }
}

// [{"<name_key>": name, "reason": why}, ...], then a line break.
void write_skipped(JsonWriter& out, const std::vector<SkippedRepository>& skipped,
                   std::string_view name_key) {
  out.begin_array();
  for (const auto& s : skipped) {
    out.begin_object();
    out.key(name_key);
    out.value(s.name);
    out.key("reason");
    out.value(s.reason);
    out.end_object();
  }
  out.end_array();
  out.newline();
}

}  // namespace

void render_plan_document(const PlanDocument& document, JsonWriter::Sink sink) {
  JsonWriter out(std::move(sink));
  out.begin_object();
  out.key("schemaVersion");
  out.value(k_plan_schema);
  out.key("source");
  out.value(document.source);
  if (!document.sources_json.empty()) {  // issue 5: several registries
    out.key("sources");
    out.raw(document.sources_json);
  }
  if (document.shard) {
    out.key("shard");
    out.begin_object();
    out.key("index");
    out.value(static_cast<std::uint64_t>(document.shard->index));
    out.key("count");
    out.value(static_cast<std::uint64_t>(document.shard->count));
    out.end_object();
  }
  out.key("now");
  out.value(format_iso8601(document.now));
  out.key("pricePerGbMonth");
  out.value(document.price_per_gb_month);
  out.key("archivePricePerGbMonth");
  out.value(document.archive_price_per_gb_month);
  out.key("policy");
  out.raw(document.policy_json ? *document.policy_json : "null");
  out.key("repositories");
  out.begin_array();
  for (const auto& section : document.sections) render_repositories(out, section);
  out.end_array();
  out.newline();
  out.key("skippedRepositories");
  write_skipped(out, document.skipped_repositories, "repositoryName");
  out.key("skippedRegistries");
  write_skipped(out, document.skipped_registries, "label");
  out.key("apiCalls");
  out.begin_object();
  for (const auto& [operation, count] : document.api_calls) {
    out.key(operation);
    out.value(count);
  }
  out.end_object();
  out.newline();
  out.key("warnings");
  out.begin_array();
  for (const auto& warning : plan_warnings(document.totals)) out.value(warning);
  out.end_array();
  out.newline();
  out.key("totals");
  write_plan_totals(out, document.totals, true);
  out.end_object();
  out.newline();
  out.finish();
}

void render_plan_json(const Plan& plan, const Policy& policy, const PlanJsonOptions& options,
                      JsonWriter::Sink sink) {
  PlanDocument document;
  document.source = options.source;
  document.sources_json = options.sources_json;
  document.shard = options.shard;
  document.now = plan.now;
  document.price_per_gb_month = plan.price_per_gb_month;
  document.archive_price_per_gb_month = plan.archive_price_per_gb_month;
  document.policy_json = to_policy_json(policy);
  document.sections.push_back({&plan, &policy, std::nullopt, ""});
  document.skipped_repositories = plan.skipped;
  document.skipped_registries = options.skipped_registries;
  document.api_calls = options.api_calls;
  document.totals = plan.totals;
  render_plan_document(document, std::move(sink));
}

}  // namespace regsweep
