#include "cli/plan_json.hpp"

#include "policy/explain.hpp"

namespace regsweep::cli {

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

void write_totals(JsonWriter& out, const PlanTotals& totals, bool with_repository_count) {
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
  out.end_object();
}

void write_image(JsonWriter& out, const ImageRecord& image, const Verdict& verdict,
                 const Protection* protection, const Policy& policy, EpochMillis now) {
  out.begin_object();
  out.key("imageDigest");
  out.value(image.digest);
  out.key("imageTags");
  out.begin_array();
  for (const auto& tag : image.tags) out.value(tag);
  out.end_array();
  out.key("imagePushedAt");
  out.value(format_iso8601(image.pushed_at));
  out.key("imageSizeInBytes");
  out.value(image.size_bytes);
  out.key("storageClass");
  out.value(to_string(image.storage_class()));
  out.key("action");
  out.value(to_string(verdict.action));
  out.key("appliedRulePriority");
  write_optional_priority(out, verdict.applied_rule_priority());
  out.key("rulePriority");
  write_optional_priority(out, verdict.rule_priority);
  out.key("reasonCode");
  out.value(reason_code(verdict.reason));
  out.key("reason");
  out.value(protection ? explain_protection(*protection) : explain(verdict, policy, now));
  if (protection) {
    out.key("protection");
    out.value(to_string(protection->kind));
  }
  out.end_object();
}

}  // namespace

void render_plan_json(const Plan& plan, const Policy& policy, const PlanJsonOptions& options,
                      JsonWriter::Sink sink) {
  JsonWriter out(std::move(sink));
  out.begin_object();
  out.key("schemaVersion");
  out.value(1);
  out.key("source");
  out.value(options.source);
  out.key("now");
  out.value(format_iso8601(plan.now));
  out.key("pricePerGbMonth");
  out.value(plan.price_per_gb_month);
  out.key("archivePricePerGbMonth");
  out.value(plan.archive_price_per_gb_month);
  out.key("policy");
  out.raw(to_policy_json(policy));
  out.key("repositories");
  out.begin_array();
  for (const auto& repo_plan : plan.repositories) {
    const Repository& repo = *repo_plan.repository;
    out.newline();
    out.begin_object();
    out.key("repositoryName");
    out.value(repo.name);
    if (!repo.registry_id.empty()) {
      out.key("registryId");
      out.value(repo.registry_id);
    }
    out.key("summary");
    write_totals(out, repo_plan.totals, false);
    out.key("images");
    out.begin_array();
    for (std::size_t i = 0; i < repo.images.size(); ++i) {
      out.newline();
      write_image(out, repo.images[i], repo_plan.verdicts[i], repo_plan.protection_of(i), policy,
                  plan.now);
    }
    out.end_array();
    out.end_object();
  }
  out.end_array();
  out.newline();
  out.key("skippedRepositories");
  out.begin_array();
  for (const auto& skipped : plan.skipped) {
    out.begin_object();
    out.key("repositoryName");
    out.value(skipped.name);
    out.key("reason");
    out.value(skipped.reason);
    out.end_object();
  }
  out.end_array();
  out.newline();
  out.key("totals");
  write_totals(out, plan.totals, true);
  out.end_object();
  out.newline();
  out.finish();
}

}  // namespace regsweep::cli
