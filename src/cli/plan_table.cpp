#include "cli/plan_table.hpp"

#include <fmt/format.h>

#include "cli/table.hpp"
#include "policy/explain.hpp"
#include "util/printable.hpp"
#include "util/size.hpp"

namespace regsweep::cli {
namespace {

constexpr std::size_t k_tags_width = 30;

std::string short_digest(const std::string& digest) {
  const auto colon = digest.find(':');
  const std::size_t start = colon == std::string::npos ? 0 : colon + 1;
  return digest.substr(start, 12);
}

std::string tag_list(const ImageRecord& image) {
  if (image.tags.empty()) return "<untagged>";
  std::string out;
  for (const auto& tag : image.tags) {
    if (!out.empty()) out += ',';
    out += tag;
  }
  out = printable(out);
  if (out.size() > k_tags_width) {
    out.resize(k_tags_width - 3);
    out.append(3, '.');
  }
  return out;
}

// explain() starts with the action ("expire: rule 2 ..."); the table has an ACTION column already.
std::string reason_text(const Verdict& verdict, const Policy& policy, EpochMillis now) {
  std::string text = explain(verdict, policy, now);
  const std::string prefix = std::string(to_string(verdict.action)) + ": ";
  if (text.starts_with(prefix)) text.erase(0, prefix.size());
  return text;
}

std::string dollars(double amount) {
  return fmt::format("${:.2f}", amount);
}

// Prices keep their precision ($0.0114), amounts are shown in cents.
std::string price(double amount) {
  const std::string cents = fmt::format("{:.2f}", amount);
  return "$" + (std::stod(cents) == amount ? cents : fmt::format("{}", amount));
}

void render_repository(const RepositoryPlan& repo_plan, const Plan& plan, const Policy& policy,
                       const PlanTableOptions& options, std::string& out) {
  const Repository& repo = *repo_plan.repository;
  const PlanTotals& t = repo_plan.totals;
  out +=
      fmt::format("{}  ({}: {} expire, {} transition, {} keep; {} freed)\n", printable(repo.name),
                  counted(t.images, "image", "images"), thousands(t.expiring),
                  thousands(t.transitioning), thousands(t.kept), format_bytes(t.bytes_expiring));
  if (t.expiring + t.transitioning == 0 && repo_plan.protections.empty()) return;
  Table table({{"ACTION"},
               {"DIGEST"},
               {"TAGS"},
               {"PUSHED"},
               {"SIZE", Align::right},
               {"RULE", Align::right},
               {"REASON"}});
  std::size_t changed = 0;
  for (std::size_t i = 0; i < repo.images.size(); ++i) {
    const Verdict& verdict = repo_plan.verdicts[i];
    // Images regsweep protected are listed too, with what protected them.
    const Protection* protection = repo_plan.protection_of(i);
    if (verdict.action == VerdictAction::keep && protection == nullptr) continue;
    ++changed;
    if (options.max_rows != 0 && table.rows() >= options.max_rows) continue;
    const ImageRecord& image = repo.images[i];
    const auto rule = verdict.applied_rule_priority();
    table.add(
        {std::string(to_string(verdict.action)), short_digest(image.digest), tag_list(image),
         format_iso8601(image.pushed_at).substr(0, 10), format_bytes(image.size_bytes),
         rule ? std::to_string(*rule) : "-",
         protection ? explain_protection(*protection) : reason_text(verdict, policy, plan.now)});
  }
  out += table.render("  ");
  out += more_rows_line(table.rows(), changed);
}

}  // namespace

void render_plan_table(const Plan& plan, const Policy& policy, const PlanTableOptions& options,
                       const std::function<void(std::string_view)>& sink) {
  std::string out;
  if (!options.totals_only) {
    for (const auto& repo_plan : plan.repositories) {
      render_repository(repo_plan, plan, policy, options, out);
      out += '\n';
      if (out.size() > (1u << 20)) {
        sink(out);
        out.clear();
      }
    }
  }
  if (!plan.skipped.empty()) {
    out +=
        fmt::format("Skipped {} (listing failed; not evaluated, nothing will be deleted there):\n",
                    counted(plan.skipped.size(), "repository", "repositories"));
    for (const auto& skipped : plan.skipped)
      out += fmt::format("  {}: {}\n", printable(skipped.name), printable(skipped.reason));
    out += '\n';
  }
  const PlanTotals& t = plan.totals;
  out += fmt::format("Plan at {} for {}, {} ({}):\n", format_iso8601(plan.now),
                     counted(t.repositories, "repository", "repositories"),
                     counted(t.images, "image", "images"), format_bytes(t.bytes_total));
  out += fmt::format("  expire      {:>10} images  {:>10} freed\n", thousands(t.expiring),
                     format_bytes(t.bytes_expiring));
  out += fmt::format("  transition  {:>10} images  {:>10} moved to archive\n",
                     thousands(t.transitioning), format_bytes(t.bytes_transitioning));
  out += fmt::format("  keep        {:>10} images\n", thousands(t.kept));
  out += fmt::format("  saved       {:>10} per month at {} per GB-month",
                     dollars(t.monthly_savings), price(plan.price_per_gb_month));
  if (plan.archive_price_per_gb_month != plan.price_per_gb_month) {
    out += fmt::format(" ({} per GB-month in archive)", price(plan.archive_price_per_gb_month));
  }
  out += '\n';
  sink(out);
}

}  // namespace regsweep::cli
