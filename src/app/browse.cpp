#include "app/browse.hpp"

#include <algorithm>
#include <map>

#include "app/scan.hpp"
#include "policy/parse.hpp"
#include "util/parallel.hpp"

namespace regsweep {
namespace {

void read_policies(Registry& registry, BrowsedRegistry& out, int concurrency) {
  const auto& repositories = out.inventory->repositories;
  out.installed.assign(repositories.size(), std::nullopt);
  out.installed_error.assign(repositories.size(), "");
  parallel_for(repositories.size(), concurrency, [&](std::size_t i) {
    auto text = registry.get_lifecycle_policy(repositories[i].name);
    if (text.ok()) {
      out.installed[i] = std::move(text).value();
    } else {
      out.installed_error[i] = "reading its lifecycle policy failed: " + text.error().message;
    }
  });
}

}  // namespace

std::vector<BrowsedRegistry> browse_registries(const std::vector<OpenedRegistry>& opened,
                                               const BrowseRequest& request, Events& events) {
  std::vector<BrowsedRegistry> out;
  for (const auto& registry : opened) {
    BrowsedRegistry browsed;
    browsed.label = registry.label;
    browsed.live = !registry.region.empty();  // as plan_registries decides
    ScanOptions scan;
    scan.repository_globs = request.repository_globs;
    scan.concurrency = request.concurrency;
    const std::string label = opened.size() > 1 ? registry.label : "";
    scan.on_progress = [&](std::size_t done, std::size_t total) {
      events.progress({Progress::Phase::listing, label, done, total, 0, 0});
    };
    auto inventory = scan_registry(*registry.registry, scan);
    if (!inventory.ok()) {
      browsed.listing_error = "listing the repositories failed: " + inventory.error().message;
      events.warn("registry " + registry.label +
                  " could not be listed, nothing shown there: " + browsed.listing_error);
    } else {
      browsed.inventory = std::move(inventory).value();
      read_policies(*registry.registry, browsed, request.concurrency);
    }
    out.push_back(std::move(browsed));
  }
  return out;
}

Status relist_repository(const OpenedRegistry& opened, BrowsedRegistry& browsed,
                         const std::string& repository) {
  if (!browsed.inventory) return make_error(ErrorCode::invalid_input, "the registry is not listed");
  auto images = opened.registry->list_images(repository);
  auto inventory = std::make_shared<Inventory>(*browsed.inventory);
  auto& repositories = inventory->repositories;
  const auto it = std::find_if(repositories.begin(), repositories.end(),
                               [&](const Repository& r) { return r.name == repository; });
  if (it == repositories.end())
    return make_error(ErrorCode::not_found, repository + ": not listed");
  const auto index = static_cast<std::size_t>(it - repositories.begin());
  if (!images.ok()) {
    if (images.error().code != ErrorCode::not_found) return images.error();
    repositories.erase(it);  // the repository is gone
    browsed.installed.erase(browsed.installed.begin() + static_cast<std::ptrdiff_t>(index));
    browsed.installed_error.erase(browsed.installed_error.begin() +
                                  static_cast<std::ptrdiff_t>(index));
  } else {
    it->images = std::move(images).value();
    auto text = opened.registry->get_lifecycle_policy(repository);
    browsed.installed[index] = text.ok() ? std::move(text).value() : std::nullopt;
    browsed.installed_error[index] =
        text.ok() ? "" : "reading its lifecycle policy failed: " + text.error().message;
  }
  browsed.inventory = std::move(inventory);
  return ok_status();
}

BrowsePlan plan_browsed(const BrowsedRegistry& browsed, const Policy* chosen,
                        const std::string& chosen_text, const PlanOptions& options, Clock& clock) {
  BrowsePlan out;
  if (!browsed.inventory) return out;
  PlanOptions plan_options = options;
  if (browsed.live) plan_options.protection.clock = clock.now();
  const auto& repositories = browsed.inventory->repositories;
  if (chosen != nullptr) {
    // The `plan` path: one policy over every repository the globs select.
    BrowsePlanGroup group{std::make_shared<const Policy>(*chosen), chosen_text, {}};
    group.plan = build_plan(*browsed.inventory, *chosen, plan_options);
    out.totals.add(group.plan.totals);
    out.groups.push_back(std::move(group));
    return out;
  }
  // The `policy preview` path: repositories grouped by their normalised installed policy.
  std::map<std::string, std::pair<BrowsePlanGroup, std::vector<std::string>>> groups;
  for (std::size_t i = 0; i < repositories.size(); ++i) {
    const std::string& name = repositories[i].name;
    if (!repository_selected(options.repository_globs, name)) continue;
    if (!browsed.installed_error[i].empty()) {
      out.skipped.push_back({name, browsed.installed_error[i]});
      continue;
    }
    if (!browsed.installed[i]) {
      groups[""].second.push_back(name);
      continue;
    }
    auto parsed = parse_policy(*browsed.installed[i], name + " (installed policy)");
    if (!parsed.ok()) {
      out.skipped.push_back(
          {name, "its installed policy does not parse: " + parsed.error().message});
      continue;
    }
    auto& group = groups[to_policy_json(*parsed)];
    if (!group.first.policy) {
      group.first.policy = std::make_shared<const Policy>(std::move(parsed).value());
      group.first.policy_text = *browsed.installed[i];
    }
    group.second.push_back(name);
  }
  for (auto& [key, entry] : groups) {
    PlanOptions group_options = plan_options;
    group_options.repository_globs = entry.second;  // ECR names have no '*' or '?'
    // No policy: an empty rule list selects nothing, so every image is kept (as ECR would).
    const Policy none{};
    entry.first.plan = build_plan(*browsed.inventory,
                                  entry.first.policy ? *entry.first.policy : none, group_options);
    entry.first.plan.skipped.clear();
    out.totals.add(entry.first.plan.totals);
    out.groups.push_back(std::move(entry.first));
  }
  return out;
}

}  // namespace regsweep
