// The policy editor's use cases: validate as you type (policy/parse: the `policy validate`
// messages), preview on the selected repositories (the `plan` core over what was listed), diff and
// install (app/policy_fleet: `policy diff` and `policy put`).
#include <algorithm>
#include <regex>

#include "app/policy_fleet.hpp"
#include "policy/explain.hpp"
#include "policy/parse.hpp"
#include "web/workspace.hpp"

namespace regsweep::web {
namespace {

using nlohmann::json;

constexpr const char* k_source_name = "policy";

// "policy:4:19: rules[0].selection.countUnit: missing; ..." -> its parts; lines without a
// position ("policy: ...") keep line 0.
json problems_json(const std::string& message) {
  static const std::regex k_line(R"(^policy:(\d+):(\d+): (.*)$)");
  json problems = json::array();
  std::size_t start = 0;
  while (start <= message.size()) {
    std::size_t end = message.find('\n', start);
    if (end == std::string::npos) end = message.size();
    const std::string line = message.substr(start, end - start);
    start = end + 1;
    if (line.empty()) continue;
    std::smatch m;
    if (std::regex_match(line, m, k_line)) {
      problems.push_back({{"line", std::stoi(m[1])},
                          {"column", std::stoi(m[2])},
                          {"message", m[3].str()},
                          {"text", line}});
    } else {
      const std::string prefix = std::string(k_source_name) + ": ";
      problems.push_back({{"line", 0},
                          {"column", 0},
                          {"message", line.starts_with(prefix) ? line.substr(prefix.size()) : line},
                          {"text", line}});
    }
  }
  return problems;
}

json totals_json(const PlanTotals& t) {
  return {{"repositories", t.repositories},
          {"images", t.images},
          {"expiring", t.expiring},
          {"transitioning", t.transitioning},
          {"kept", t.kept},
          {"bytesTotal", t.bytes_total},
          {"bytesExpiring", t.bytes_expiring},
          {"bytesTransitioning", t.bytes_transitioning},
          {"monthlySavings", t.monthly_savings}};
}

// The policy fleet's options for registry `r`: its repositories among `selected` (none: nothing
// to do there).
FleetOptions fleet_options_for(std::size_t r,
                               const std::vector<std::pair<std::size_t, std::string>>& selected,
                               bool write, int concurrency) {
  FleetOptions options;
  options.repositories.include.clear();
  for (const auto& [registry, name] : selected)
    if (registry == r) options.repositories.include.push_back(name);
  options.write = write;
  options.concurrency = concurrency;
  return options;
}

}  // namespace

Answer Workspace::validate_policy(const std::string& text) {
  auto parsed = parse_policy(text, k_source_name);
  if (parsed.ok()) {
    json rules = json::array();
    for (const auto& rule : parsed->rules) rules.push_back(describe_rule(rule));
    return {200, json{{"valid", true}, {"problems", json::array()}, {"rules", rules}}};
  }
  return {200, json{{"valid", false}, {"problems", problems_json(parsed.error().message)}}};
}

Result<std::vector<std::pair<std::size_t, std::string>>> Workspace::selected_repositories(
    const json& repositories) {
  std::vector<std::pair<std::size_t, std::string>> out;
  std::lock_guard lock(m_mutex);
  if (!repositories.is_array() || repositories.empty()) {  // every repository
    for (std::size_t r = 0; r < m_registries.size(); ++r) {
      if (!m_registries[r].browsed.inventory) continue;
      for (const auto& repo : m_registries[r].browsed.inventory->repositories)
        out.emplace_back(r, repo.name);
    }
    return out;
  }
  for (const auto& item : repositories) {
    if (!item.is_object() || !item.contains("registry") || !item.contains("name") ||
        !item["registry"].is_number_integer() || item["registry"].get<std::int64_t>() < 0 ||
        !item["name"].is_string())
      return make_error(ErrorCode::invalid_input,
                        "repositories: each entry needs \"registry\" (a number) and \"name\"");
    const auto r = item["registry"].get<std::size_t>();
    if (r >= m_registries.size())
      return make_error(ErrorCode::invalid_input, "repositories: no registry " + std::to_string(r));
    out.emplace_back(r, item["name"].get<std::string>());
  }
  return out;
}

Answer Workspace::preview_policy(const std::string& text, const json& repositories) {
  auto parsed = parse_policy(text, k_source_name);
  if (!parsed.ok()) {
    return {400, json{{"error", "the policy is not valid"},
                      {"problems", problems_json(parsed.error().message)}}};
  }
  auto selected = selected_repositories(repositories);
  if (!selected.ok()) return error_answer(400, selected.error().message);
  std::lock_guard lock(m_mutex);
  if (!m_loaded) return error_answer(503, "still listing the registries");
  PlanTotals totals;
  json repos = json::array(), images = json::array();
  std::size_t listed = 0;
  constexpr std::size_t k_max_images = 500;
  for (std::size_t r = 0; r < m_registries.size(); ++r) {
    PlanOptions options = m_config.plan;
    options.repository_globs.clear();
    for (const auto& [registry, name] : selected.value())
      if (registry == r) options.repository_globs.push_back(name);
    if (options.repository_globs.empty()) continue;
    const BrowsePlan plan = plan_browsed(m_registries[r].browsed, &*parsed, text, options, m_clock);
    totals.add(plan.totals);
    for (const auto& group : plan.groups) {
      Explainer explain(*group.policy, group.plan.now);
      for (const auto& repo_plan : group.plan.repositories) {
        const Repository& repo = *repo_plan.repository;
        repos.push_back(
            {{"registry", r}, {"name", repo.name}, {"totals", totals_json(repo_plan.totals)}});
        for (std::size_t i = 0; i < repo.images.size(); ++i) {
          const Verdict& v = repo_plan.verdicts[i];
          if (v.action == VerdictAction::keep) continue;  // the changes are what a preview shows
          if (++listed > k_max_images) continue;
          const Protection* p = repo_plan.protection_of(i);
          images.push_back({{"registry", r},
                            {"repository", repo.name},
                            {"digest", repo.images[i].digest},
                            {"tags", repo.images[i].tags},
                            {"size", repo.images[i].size_bytes},
                            {"pushedAt", repo.images[i].pushed_at},
                            {"action", std::string(to_string(v.action))},
                            {"reason", p ? explain_protection(*p) : std::string(explain(v))}});
        }
      }
    }
  }
  return {200, json{{"totals", totals_json(totals)},
                    {"repositories", repos},
                    {"images", images},
                    {"changed", listed},
                    {"now", m_config.plan.now}}};
}

Answer Workspace::diff_policy(const std::string& text, const json& repositories) {
  auto parsed = parse_policy(text, k_source_name);
  if (!parsed.ok()) {
    return {400, json{{"error", "the policy is not valid"},
                      {"problems", problems_json(parsed.error().message)}}};
  }
  auto selected = selected_repositories(repositories);
  if (!selected.ok()) return error_answer(400, selected.error().message);
  std::lock_guard registry_lock(m_registry_mutex);
  json results = json::array();
  for (std::size_t r = 0; r < m_opened.size(); ++r) {
    const FleetOptions options =
        fleet_options_for(r, selected.value(), false, m_config.concurrency);
    if (options.repositories.include.empty()) continue;
    const FleetReport report =
        put_policy_fleet({{m_opened[r].label, m_opened[r].registry.get()}}, *parsed, text, options);
    for (const auto& result : report.results) {
      results.push_back({{"registry", r},
                         {"repository", result.repository},
                         {"change", std::string(to_string(result.change))},
                         {"diff", result.diff},
                         {"error", result.error}});
    }
    for (const auto& e : report.listing_errors)
      results.push_back({{"registry", r}, {"repository", ""}, {"change", "failed"}, {"error", e}});
  }
  return {200, json{{"results", results}}};
}

Answer Workspace::put_policy(const std::string& text, const json& repositories,
                             const std::string& confirm) {
  if (m_read_only) return error_answer(403, "a snapshot is read-only: nothing can be installed");
  if (confirm != "install")
    return error_answer(400, "confirm: installing needs \"confirm\": \"install\"");
  auto parsed = parse_policy(text, k_source_name);
  if (!parsed.ok()) {
    return {400, json{{"error", "the policy is not valid; nothing was installed"},
                      {"problems", problems_json(parsed.error().message)}}};
  }
  auto selected = selected_repositories(repositories);
  if (!selected.ok()) return error_answer(400, selected.error().message);
  std::lock_guard registry_lock(m_registry_mutex);
  json results = json::array();
  bool failed = false;
  for (std::size_t r = 0; r < m_opened.size(); ++r) {
    const FleetOptions options = fleet_options_for(r, selected.value(), true, m_config.concurrency);
    if (options.repositories.include.empty()) continue;
    const FleetReport report =
        put_policy_fleet({{m_opened[r].label, m_opened[r].registry.get()}}, *parsed, text, options);
    failed = failed || report.any_failed();
    for (const auto& result : report.results) {
      results.push_back({{"registry", r},
                         {"repository", result.repository},
                         {"change", std::string(to_string(result.change))},
                         {"outcome", std::string(to_string(result.outcome))},
                         {"diff", result.diff},
                         {"error", result.error}});
    }
    for (const auto& e : report.listing_errors)
      results.push_back({{"registry", r}, {"repository", ""}, {"outcome", "failed"}, {"error", e}});
    // What is installed now: read again (outside m_mutex: the views stay responsive; the registry
    // mutex keeps other changes out), then plan again.
    BrowsedRegistry browsed;
    {
      std::lock_guard lock(m_mutex);
      browsed = m_registries[r].browsed;
    }
    if (!browsed.inventory) continue;
    for (std::size_t i = 0; i < browsed.inventory->repositories.size(); ++i) {
      const std::string& name = browsed.inventory->repositories[i].name;
      if (!options.repositories.matches(name)) continue;
      auto installed = m_opened[r].registry->get_lifecycle_policy(name);
      browsed.installed[i] = installed.ok() ? std::move(installed).value() : std::nullopt;
      browsed.installed_error[i] =
          installed.ok() ? "" : "reading its lifecycle policy failed: " + installed.error().message;
    }
    std::lock_guard lock(m_mutex);
    m_registries[r].browsed = std::move(browsed);
    replan_locked(r);
  }
  return {failed ? 502 : 200, json{{"results", results}, {"failed", failed}}};
}

}  // namespace regsweep::web
