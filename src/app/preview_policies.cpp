#include "app/preview_policies.hpp"

#include <map>

#include "app/scan.hpp"
#include "policy/parse.hpp"
#include "util/parallel.hpp"

namespace regsweep {
namespace {

// Plans one registry: list, read each repository's policy, group, plan each group.
void preview_registry(const OpenedRegistry& registry, const PlanOptions& plan_options,
                      const PreviewRequest& request, PolicyPreview& out, bool several,
                      Events& events) {
  const auto skip = [&](const std::string& name, const std::string& reason) {
    out.skipped.push_back({several ? registry.label + "/" + name : name, reason});
  };
  ScanOptions scan;
  scan.repository_globs = plan_options.repository_globs;
  scan.concurrency = request.concurrency;
  scan.on_progress = [&](std::size_t done, std::size_t total) {
    events.progress({Progress::Phase::listing, several ? registry.label : "", done, total, 0, 0});
  };
  auto inventory = scan_registry(*registry.registry, scan);
  if (!inventory.ok()) {
    const std::string reason = "listing the repositories failed: " + inventory.error().message;
    out.unlisted.push_back({registry.label, reason});
    events.warn("registry " + registry.label +
                " could not be listed, nothing planned there: " + reason);
    return;
  }
  const auto& repositories = (*inventory)->repositories;
  std::vector<Result<std::optional<std::string>>> texts(repositories.size(),
                                                        std::optional<std::string>());
  parallel_for(repositories.size(), request.concurrency, [&](std::size_t i) {
    texts[i] = registry.registry->get_lifecycle_policy(repositories[i].name);
  });
  // normalised policy JSON ("" for none) -> (policy, repository names)
  std::map<std::string, std::pair<std::optional<Policy>, std::vector<std::string>>> groups;
  for (std::size_t i = 0; i < repositories.size(); ++i) {
    const std::string& name = repositories[i].name;
    if (!texts[i].ok()) {
      skip(name, "reading its lifecycle policy failed: " + texts[i].error().message);
      continue;
    }
    if (!*texts[i]) {
      groups[""].second.push_back(name);
      continue;
    }
    auto parsed = parse_policy(**texts[i], name + " (installed policy)");
    if (!parsed.ok()) {
      skip(name, "its installed policy does not parse: " + parsed.error().message);
      continue;
    }
    auto& group = groups[to_policy_json(*parsed)];
    if (!group.first) group.first = std::move(parsed).value();
    group.second.push_back(name);
  }
  for (const auto& skipped : (*inventory)->skipped) skip(skipped.name, skipped.reason);
  for (auto& [key, group] : groups) {
    PlanOptions group_options = plan_options;
    group_options.repository_globs = group.second;  // ECR names have no '*' or '?'
    // No policy: an empty rule list selects nothing, so every image is kept (as ECR would).
    const Policy policy = group.first ? *group.first : Policy{};
    Plan plan = build_plan(**inventory, policy, group_options);
    plan.skipped.clear();  // reported once, above
    out.totals.add(plan.totals);
    out.groups.push_back({registry.label, group.first, std::move(plan)});
  }
  out.inventories.push_back(std::move(inventory).value());
}

}  // namespace

PolicyPreview preview_installed_policies(const std::vector<OpenedRegistry>& opened,
                                         const PreviewRequest& request, Clock& clock,
                                         Events& events) {
  PlanOptions options = request.plan;
  options.protection.clock = clock.now();  // live ECR: planned as apply would delete
  PolicyPreview preview;
  for (const auto& registry : opened)
    preview_registry(registry, options, request, preview, opened.size() > 1, events);
  return preview;
}

}  // namespace regsweep
