// regsweep policy preview: plans every repository with the lifecycle policy installed on it — the
// instant, local answer to ECR's slow per-repository StartLifecyclePolicyPreview. Repositories
// are grouped by their (normalised) installed policy and each group is planned with it; those
// without a policy are reported as "no policy" with every image kept. Output as `plan`: the table
// has a section per registry and policy; the JSON is one plan-json document (schema 1) whose
// top-level "policy" is null and whose repositories each carry their own "policy" (null: none).
// Exit 0 planned; 1 a registry, a repository listing or a policy read failed; 2 bad usage.
#include <CLI/CLI.hpp>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/apply_flow.hpp"
#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/ecr_fleet.hpp"
#include "cli/plan_flags.hpp"
#include "cli/plan_json.hpp"
#include "cli/plan_table.hpp"
#include "cli/protection_options.hpp"
#include "policy/parse.hpp"
#include "app/plan_fleet.hpp"
#include "app/scan.hpp"
#include "util/parallel.hpp"

namespace regsweep::cli {
namespace {

struct PreviewOptions {
  EcrFleetOptions ecr;
  bool all = false;
  PlanFlags flags;
};

// The repositories of one registry that share one installed policy, planned with it.
struct PolicyGroup {
  std::string label;             // the registry
  std::optional<Policy> policy;  // nullopt: no policy installed
  Plan plan;
};

struct Preview {
  std::vector<std::shared_ptr<const Inventory>> inventories;  // kept alive for the plans
  std::vector<PolicyGroup> groups;
  std::vector<SkippedRepository> skipped;
  PlanTotals totals;
};

// Plans one registry: list, read each repository's policy, group, plan each group.
void preview_registry(const OpenedRegistry& registry, const PlanOptions& plan_options,
                      const PreviewOptions& options, Preview& out, bool several) {
  const auto skip = [&](const std::string& name, const std::string& reason) {
    out.skipped.push_back({several ? registry.label + "/" + name : name, reason});
  };
  ScanOptions scan;
  scan.repository_globs = plan_options.repository_globs;
  scan.concurrency = options.flags.concurrency;
  auto inventory = scan_registry(*registry.registry, scan);
  if (!inventory.ok()) {
    out.skipped.push_back(
        {registry.label, "listing the repositories failed: " + inventory.error().message});
    return;
  }
  const auto& repositories = (*inventory)->repositories;
  std::vector<Result<std::optional<std::string>>> texts(repositories.size(),
                                                        std::optional<std::string>());
  parallel_for(repositories.size(), options.flags.concurrency, [&](std::size_t i) {
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

void render_table(const Preview& preview, const PreviewOptions& options, EpochMillis now) {
  const auto sink = [](std::string_view chunk) { write_stdout(chunk); };
  std::string last_label;
  for (const auto& group : preview.groups) {
    if (group.label != last_label) write_stdout("== " + group.label + " ==\n");
    last_label = group.label;
    if (group.policy) {
      write_stdout("-- installed policy of " + std::to_string(group.plan.repositories.size()) +
                   " repositories: " + to_policy_json(*group.policy) + "\n");
    } else {
      write_stdout("-- no policy installed on " + std::to_string(group.plan.repositories.size()) +
                   " repositories: every image kept\n");
    }
    render_plan_table(group.plan, group.policy.value_or(Policy{}),
                      {options.flags.max_rows, options.flags.quiet}, sink);
    write_stdout("\n");
  }
  Plan all;
  all.now = now;
  all.price_per_gb_month = options.flags.price_per_gb_month;
  all.archive_price_per_gb_month = options.flags.price_per_gb_month;
  all.skipped = preview.skipped;
  all.totals = preview.totals;
  write_stdout("== all repositories ==\n");
  render_plan_table(all, Policy{}, {0, true}, sink);
}

// One plan-json document: each group's repositories, with their policy, in one array.
void render_json(const Preview& preview, const std::vector<OpenedRegistry>& opened,
                 const PreviewOptions& options, EpochMillis now) {
  nlohmann::json repositories = nlohmann::json::array();
  for (const auto& group : preview.groups) {
    std::string text;
    render_plan_json(group.plan, group.policy.value_or(Policy{}), {},
                     [&](std::string_view chunk) { text += chunk; });
    auto document = nlohmann::json::parse(text);
    const nlohmann::json policy =
        group.policy ? nlohmann::json::parse(to_policy_json(*group.policy)) : nlohmann::json();
    for (auto& repository : document["repositories"]) {
      repository["policy"] = policy;
      repository["source"] = group.label;
      repositories.push_back(std::move(repository));
    }
  }
  nlohmann::json skipped = nlohmann::json::array();
  for (const auto& s : preview.skipped)
    skipped.push_back({{"repositoryName", s.name}, {"reason", s.reason}});
  const PlanTotals& t = preview.totals;
  nlohmann::json out = {{"schemaVersion", 1},
                        {"source", "installed lifecycle policies"},
                        {"sources", sources_of(opened)},
                        {"now", format_iso8601(now)},
                        {"pricePerGbMonth", options.flags.price_per_gb_month},
                        {"archivePricePerGbMonth", options.flags.price_per_gb_month},
                        {"policy", nullptr},
                        {"repositories", repositories},
                        {"skippedRepositories", skipped},
                        {"totals",
                         {{"repositories", t.repositories},
                          {"images", t.images},
                          {"expiring", t.expiring},
                          {"transitioning", t.transitioning},
                          {"kept", t.kept},
                          {"bytesTotal", t.bytes_total},
                          {"bytesExpiring", t.bytes_expiring},
                          {"bytesTransitioning", t.bytes_transitioning},
                          {"monthlySavings", t.monthly_savings}}}};
  write_stdout(out.dump(1) + "\n");
}

int run_preview(const PreviewOptions& options) {
  const char* name = "policy preview";
  if (options.all == !options.flags.repository_globs.empty()) {
    return report_error(name, make_error(ErrorCode::invalid_input,
                                         "name the repositories: --repository-name GLOB "
                                         "(repeatable) or --all"));
  }
  auto setup = plan_setup(options.flags);
  if (!setup.ok()) return report_error(name, setup.error());
  PlanOptions& plan_options = setup->plan;
  plan_options.protection.clock = clock_now();  // live ECR: planned as apply would delete
  const EpochMillis now = plan_options.now;
  auto opened = open_ecr_fleet(options.ecr);
  if (!opened.ok()) return report_error(name, opened.error());

  Preview preview;
  for (const auto& registry : *opened)
    preview_registry(registry, plan_options, options, preview, opened->size() > 1);
  const bool json = json_output(options.flags);
  if (json) {
    render_json(preview, *opened, options, now);
  } else {
    render_table(preview, options, now);
  }
  std::fflush(stdout);
  if (!preview.skipped.empty()) {
    std::cerr << "regsweep " << name << ": " << preview.skipped.size()
              << " repositories or registries were skipped; the preview does not cover them\n";
    return k_exit_failed;
  }
  return k_exit_ok;
}

}  // namespace

void setup_policy_preview(CLI::App& sub, RunFunction& run) {
  auto options = std::make_shared<PreviewOptions>();
  add_ecr_fleet_options(sub, options->ecr);
  add_plan_flags(sub, options->flags, PlanCommand::preview);
  sub.add_flag("--all", options->all, "Every repository (instead of --repository-name)");
  sub.callback([&run, options] { run = [options] { return run_preview(*options); }; });
}

}  // namespace regsweep::cli
