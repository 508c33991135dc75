#include "cli/plan_render.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iterator>

#include <fmt/format.h>

#include "cli/cli_support.hpp"
#include "cli/plan_table.hpp"
#include "plan/plan_json.hpp"
#include "util/printable.hpp"
#include "util/size.hpp"

namespace regsweep::cli {
namespace {

void to_stdout(std::string_view chunk) {
  write_stdout(chunk);
}

// One registry's part of the merged plan as a Plan of its own, for the per-registry table. The
// repository plans are moved out and back (no copy); `fn` must not keep references.
template <class Fn>
void with_registry_view(FleetPlan& fleet, std::size_t index, Fn&& fn) {
  RegistryPlan& entry = fleet.registries[index];
  Plan view;
  view.now = fleet.merged.now;
  view.price_per_gb_month = fleet.merged.price_per_gb_month;
  view.archive_price_per_gb_month = fleet.merged.archive_price_per_gb_month;
  view.skipped = entry.run.plan.skipped;
  view.totals = entry.run.plan.totals;
  auto begin = fleet.merged.repositories.begin() + static_cast<std::ptrdiff_t>(entry.first);
  std::move(begin, begin + static_cast<std::ptrdiff_t>(entry.count),
            std::back_inserter(view.repositories));
  fn(static_cast<const Plan&>(view));
  std::move(view.repositories.begin(), view.repositories.end(), begin);
}

}  // namespace

void render_fleet_table(FleetPlan& fleet, const Policy& policy, const PlanRenderOptions& options) {
  const PlanTableOptions table{options.max_rows, options.quiet};
  if (fleet.registries.size() == 1 && fleet.registries[0].listing_error.empty()) {
    render_plan_table(fleet.merged, policy, table, to_stdout);
    return;
  }
  for (std::size_t i = 0; i < fleet.registries.size(); ++i) {
    const RegistryPlan& entry = fleet.registries[i];
    write_stdout("== " + entry.label + " (" + entry.registry->describe() + ") ==\n");
    if (!entry.listing_error.empty()) {
      write_stdout("Not listed: " + printable(entry.listing_error) + "\n\n");
      continue;
    }
    with_registry_view(
        fleet, i, [&](const Plan& view) { render_plan_table(view, policy, table, to_stdout); });
    write_stdout("\n");
  }
  write_stdout("== all " + counted(fleet.registries.size(), "registry", "registries") + " ==\n");
  if (!fleet.unlisted.empty()) {
    std::string text = "Not listed: " + counted(fleet.unlisted.size(), "registry", "registries") +
                       " (nothing planned or deleted there):\n";
    for (const auto& u : fleet.unlisted) text += "  " + printable(u.name + ": " + u.reason) + "\n";
    write_stdout(text + "\n");
  }
  render_plan_table(fleet.merged, policy, {0, true}, to_stdout);
}

nlohmann::json sources_of(const std::vector<OpenedRegistry>& opened) {
  nlohmann::json sources = nlohmann::json::array();
  for (const auto& o : opened) {
    sources.push_back({{"label", o.label},
                       {"source", o.registry->describe()},
                       {"registryId", o.account},
                       {"region", o.region}});
  }
  return sources;
}

PlanJsonOptions plan_json_options(const std::vector<OpenedRegistry>& opened, const FleetPlan& fleet,
                                  std::optional<PlanShard> shard) {
  PlanJsonOptions json;
  json.source = opened.size() == 1 ? opened[0].registry->describe()
                                   : std::to_string(opened.size()) + " registries";
  if (opened.size() > 1 || shard) json.sources_json = sources_of(opened).dump();
  json.shard = shard;
  json.skipped_registries = fleet.unlisted;
  for (const auto& [operation, count] : api_calls_of(opened))
    json.api_calls.emplace_back(operation, count);
  return json;
}

std::string totals_record(const PlanTotals& t) {
  return text_record({"TOTALS", std::to_string(t.repositories), std::to_string(t.images),
                      std::to_string(t.expiring), std::to_string(t.transitioning),
                      std::to_string(t.kept), std::to_string(t.bytes_total),
                      std::to_string(t.bytes_expiring), std::to_string(t.bytes_transitioning),
                      fmt::format("{:.2f}", t.monthly_savings)});
}

void render_plan_text(const Plan& plan, const std::function<void(std::string_view)>& sink,
                      bool with_totals) {
  std::string out;
  for (const auto& repo_plan : plan.repositories) {
    const Repository& repo = *repo_plan.repository;
    for (std::size_t i = 0; i < repo.images.size(); ++i) {
      const ImageRecord& image = repo.images[i];
      const Verdict& verdict = repo_plan.verdicts[i];
      const Protection* protection = repo_plan.protection_of(i);
      std::string tags;
      for (const auto& tag : image.tags) tags += (tags.empty() ? "" : ",") + tag;
      const auto rule = verdict.applied_rule_priority();
      out += text_record({"IMAGE", repo.registry_id, repo.region, repo.name, image.digest, tags,
                          format_iso8601(image.pushed_at), std::to_string(image.size_bytes),
                          to_string(image.storage_class()), to_string(verdict.action),
                          rule ? std::to_string(*rule) : "", reason_code(verdict.reason),
                          protection ? to_string(protection->kind) : ""});
    }
    if (out.size() > (1u << 20)) {
      sink(out);
      out.clear();
    }
  }
  for (const auto& skipped : plan.skipped)
    out += text_record({"SKIPPED", skipped.name, skipped.reason});
  if (with_totals) out += totals_record(plan.totals);
  sink(out);
}

void render_fleet_plan(FleetPlan& fleet, const Policy& policy,
                       const std::vector<OpenedRegistry>& opened,
                       const PlanRenderOptions& options) {
  if (options.format == OutputFormat::json) {
    render_plan_json(fleet.merged, policy, plan_json_options(opened, fleet, options.shard),
                     to_stdout);
  } else if (options.format == OutputFormat::text) {
    render_plan_text(fleet.merged, to_stdout, false);
    for (const auto& u : fleet.unlisted) write_stdout(text_record({"SKIPPED", u.name, u.reason}));
    write_stdout(totals_record(fleet.merged.totals));
  } else {
    render_fleet_table(fleet, policy, options);
    write_stdout(api_calls_line(api_calls_of(opened)));
  }
  std::fflush(stdout);
}

std::string api_calls_line(const ApiCalls& calls) {
  if (calls.empty()) return {};
  std::string parts;
  for (const auto& [operation, count] : calls)
    parts += (parts.empty() ? "" : ", ") + operation + " " + thousands(count);
  return "API calls: " + thousands(total_calls(calls)) + " (" + parts + ")\n";
}

Status save_plan_json(const std::string& path, FleetPlan& fleet, const Policy& policy,
                      const std::vector<OpenedRegistry>& opened, std::optional<PlanShard> shard) {
  const std::string temporary = path + ".tmp";
  std::FILE* out = std::fopen(temporary.c_str(), "wb");
  if (out == nullptr) {
    return make_error(ErrorCode::invalid_input, "--save-plan " + path + ": cannot write " +
                                                    temporary + ": " + std::strerror(errno) +
                                                    "; fix: name a file in a writable folder");
  }
  bool failed = false;
  render_plan_json(fleet.merged, policy, plan_json_options(opened, fleet, shard),
                   [&](std::string_view chunk) {
                     if (!failed && std::fwrite(chunk.data(), 1, chunk.size(), out) != chunk.size())
                       failed = true;
                   });
  if (std::fflush(out) != 0 || ::fsync(::fileno(out)) != 0) failed = true;
  if (std::fclose(out) != 0) failed = true;
  if (failed || std::rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    std::remove(temporary.c_str());
    return make_error(ErrorCode::internal, "--save-plan " + path + ": writing the plan failed: " +
                                               why + "; fix: check the disk space and permissions");
  }
  return ok_status();
}

}  // namespace regsweep::cli
