#include "cli/plan_render.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iterator>

#include "cli/cli_support.hpp"
#include "cli/plan_table.hpp"
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
                       {"account", o.account},
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

void render_fleet_plan(FleetPlan& fleet, const Policy& policy,
                       const std::vector<OpenedRegistry>& opened,
                       const PlanRenderOptions& options) {
  if (options.json) {
    render_plan_json(fleet.merged, policy, plan_json_options(opened, fleet, options.shard),
                     to_stdout);
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
    parts += (parts.empty() ? "" : ", ") + operation + " " + std::to_string(count);
  return "API calls: " + std::to_string(total_calls(calls)) + " (" + parts + ")\n";
}

Status save_plan_json(const std::string& path, FleetPlan& fleet, const Policy& policy,
                      const std::vector<OpenedRegistry>& opened, std::optional<PlanShard> shard) {
  const std::string temporary = path + ".tmp";
  std::FILE* out = std::fopen(temporary.c_str(), "wb");
  if (out == nullptr) {
    return make_error(ErrorCode::invalid_input, "-o " + path + ": cannot write " + temporary +
                                                    ": " + std::strerror(errno) +
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
    return make_error(ErrorCode::internal, "-o " + path + ": writing the plan failed: " + why +
                                               "; fix: check the disk space and permissions");
  }
  return ok_status();
}

}  // namespace regsweep::cli
