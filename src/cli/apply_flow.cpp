#include "cli/apply_flow.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>

#include "cli/apply_report.hpp"
#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/deletion_safety.hpp"
#include "cli/plan_json.hpp"
#include "cli/plan_table.hpp"
#include "cli/progress_line.hpp"
#include "policy/explain.hpp"
#include "app/deletions.hpp"
#include "util/printable.hpp"
#include "util/size.hpp"

namespace regsweep::cli {

std::vector<LabelledRegistry> labelled(const std::vector<OpenedRegistry>& opened) {
  std::vector<LabelledRegistry> out;
  for (const auto& o : opened) out.push_back({o.label, o.registry.get(), o.region});
  return out;
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

void render_table(FleetPlan& fleet, const Policy& policy, const FlowOptions& options) {
  const PlanTableOptions table{options.max_rows, options.quiet};
  if (fleet.registries.size() == 1 && fleet.registries[0].listing_error.empty()) {
    render_plan_table(fleet.merged, policy, table, to_stdout);
    return;
  }
  for (std::size_t i = 0; i < fleet.registries.size(); ++i) {
    const RegistryPlan& entry = fleet.registries[i];
    write_stdout("== " + entry.label + " (" + entry.registry->describe() + ") ==\n");
    if (!entry.listing_error.empty()) {
      write_stdout("Skipped: listing the repositories failed: " + entry.listing_error + "\n\n");
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

// The expiring images of one registry's part of the plan, as deletions by digest.
std::vector<RepositoryDeletions> deletions_of(const Plan& merged, const RegistryPlan& entry,
                                              const Policy& policy, std::uint64_t& transitions) {
  std::vector<RepositoryDeletions> work;
  for (std::size_t r = entry.first; r < entry.first + entry.count; ++r) {
    const RepositoryPlan& repo_plan = merged.repositories[r];
    RepositoryDeletions repo{repo_plan.repository->name, {}};
    for (std::size_t i = 0; i < repo_plan.verdicts.size(); ++i) {
      const Verdict& verdict = repo_plan.verdicts[i];
      const ImageRecord& image = repo_plan.repository->images[i];
      if (verdict.action == VerdictAction::transition) ++transitions;
      if (verdict.action != VerdictAction::expire) continue;
      repo.items.push_back({{image.digest, ""}, image, true, explain(verdict, policy, merged.now)});
    }
    if (!repo.items.empty()) work.push_back(std::move(repo));
  }
  return work;
}

FleetPlan plan_with_progress(const std::vector<OpenedRegistry>& opened, const Policy& policy,
                             const FlowOptions& options) {
  ProgressLine progress(options.quiet || !options.render);
  ScanOptions scan;
  scan.repository_globs = options.plan.repository_globs;
  scan.concurrency = options.concurrency;
  scan.on_progress = [&](std::size_t done, std::size_t total) {
    progress.update("listing repositories " + std::to_string(done) + "/" + std::to_string(total));
  };
  FleetPlan fleet = plan_fleet(labelled(opened), policy, options.plan, scan);
  progress.finish();
  return fleet;
}

PlanJsonOptions plan_json_options(const std::vector<OpenedRegistry>& opened,
                                  const FleetPlan& fleet) {
  PlanJsonOptions json;
  json.source = opened.size() == 1 ? opened[0].registry->describe()
                                   : std::to_string(opened.size()) + " registries";
  if (opened.size() > 1) json.sources_json = sources_of(opened).dump();
  json.skipped_registries = fleet.unlisted;
  return json;
}

// `plan -o FILE`: the JSON document, written to FILE.tmp and renamed, so a half-written plan is
// never left where `apply --plan` would read it.
Status save_plan_json(const std::string& path, FleetPlan& fleet, const Policy& policy,
                      const std::vector<OpenedRegistry>& opened) {
  const std::string temporary = path + ".tmp";
  std::FILE* out = std::fopen(temporary.c_str(), "wb");
  if (out == nullptr) {
    return make_error(ErrorCode::invalid_input, "-o " + path + ": cannot write " + temporary +
                                                    ": " + std::strerror(errno) +
                                                    "; fix: name a file in a writable folder");
  }
  bool failed = false;
  render_plan_json(fleet.merged, policy, plan_json_options(opened, fleet),
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

// On stderr too, so that a JSON reader or a cron log sees it: a registry that could not be
// listed (wrong credentials, no permission) is not a repository and not a quiet success.
void report_unlisted(const FleetPlan& fleet, const FlowOptions& options) {
  for (const auto& u : fleet.unlisted) {
    std::cerr << "regsweep " << options.command << ": registry " << u.name
              << " could not be listed, nothing planned there: " << u.reason << '\n';
  }
}

// The globs that matched nothing, when every registry could be listed (a typo in a glob deletes
// nothing, but must not pass without a word).
std::vector<std::string> unmatched_globs(const FleetPlan& fleet, const FlowOptions& options) {
  std::vector<std::string> unmatched;
  for (const auto& entry : fleet.registries)
    if (!entry.listing_error.empty()) return unmatched;
  for (const auto& glob : options.plan.repository_globs) {
    // "*" matching nothing is an empty registry, not a typo.
    if (glob.find_first_not_of('*') == std::string::npos) continue;
    const auto matches = [&](const std::string& name) { return repository_selected({glob}, name); };
    bool matched = false;
    for (const auto& repo_plan : fleet.merged.repositories)
      matched = matched || matches(repo_plan.repository->name);
    for (const auto& entry : fleet.registries)
      for (const auto& skipped : entry.run.plan.skipped) matched = matched || matches(skipped.name);
    if (matched) continue;
    unmatched.push_back(glob);
    if (!options.quiet) {
      std::cerr << "regsweep " << options.command << ": --repository-name '" << glob
                << "' matches no repository; check the name ('*' and '?' are the wildcards)\n";
    }
  }
  return unmatched;
}

}  // namespace

void render_fleet_plan(FleetPlan& fleet, const Policy& policy,
                       const std::vector<OpenedRegistry>& opened, const FlowOptions& options) {
  if (!options.render) return;
  if (options.json) {
    render_plan_json(fleet.merged, policy, plan_json_options(opened, fleet), to_stdout);
  } else {
    render_table(fleet, policy, options);
  }
  std::fflush(stdout);
}

// A live registry is planned as apply would delete from it: images fresh by the real clock are
// kept whatever --now says (a snapshot is planned purely as of --now).
FlowOptions with_real_clock(const std::vector<OpenedRegistry>& opened, FlowOptions options) {
  const bool live = std::any_of(opened.begin(), opened.end(),
                                [](const OpenedRegistry& o) { return !o.region.empty(); });
  if (live) options.plan.protection.clock = clock_now();
  return options;
}

FlowResult run_plan_flow(const std::vector<OpenedRegistry>& opened, const Policy& policy,
                         const FlowOptions& flow_options) {
  const FlowOptions options = with_real_clock(opened, flow_options);
  FleetPlan fleet = plan_with_progress(opened, policy, options);
  render_fleet_plan(fleet, policy, opened, options);
  FlowResult result;
  if (!options.save_plan.empty()) {
    if (auto saved = save_plan_json(options.save_plan, fleet, policy, opened); !saved.ok()) {
      result.exit_code = report_error(options.command, saved.error());
      result.save_failed = true;
      return result;
    }
  }
  result.planned = fleet.merged.totals;
  result.skipped_repositories = fleet.merged.skipped.size();
  result.unmatched_globs = unmatched_globs(fleet, options);
  result.unlisted_registries = fleet.unlisted.size();
  report_unlisted(fleet, options);
  result.exit_code =
      fleet.merged.skipped.empty() && fleet.unlisted.empty() ? k_exit_ok : k_exit_failed;
  return result;
}

FlowResult run_apply_flow(const std::vector<OpenedRegistry>& opened, const Policy& policy,
                          const FlowOptions& flow_options) {
  // Deleting happens now: fresh images are judged by the real clock too (plan/protect.hpp).
  FlowOptions options = flow_options;
  options.plan.protection.clock = clock_now();
  FleetPlan fleet = plan_with_progress(opened, policy, options);
  FlowResult result;
  result.planned = fleet.merged.totals;
  result.skipped_repositories = fleet.merged.skipped.size();
  result.unmatched_globs = unmatched_globs(fleet, options);
  result.unlisted_registries = fleet.unlisted.size();
  report_unlisted(fleet, options);
  const int plan_exit =
      fleet.merged.skipped.empty() && fleet.unlisted.empty() ? k_exit_ok : k_exit_failed;
  if (!options.json && options.render) {
    render_table(fleet, policy, options);
    std::fflush(stdout);
  }

  std::uint64_t transitions = 0;
  std::vector<std::vector<RepositoryDeletions>> work(fleet.registries.size());
  for (std::size_t r = 0; r < fleet.registries.size(); ++r)
    work[r] = deletions_of(fleet.merged, fleet.registries[r], policy, transitions);
  ApplyRenderOptions render{options.json,
                            options.quiet,
                            options.plan.price_per_gb_month,
                            transitions,
                            fleet.merged.skipped.size(),
                            std::nullopt};
  return delete_planned(opened, work, render, plan_exit, options, result);
}

FlowResult delete_planned(const std::vector<OpenedRegistry>& opened,
                          const std::vector<std::vector<RepositoryDeletions>>& work,
                          const ApplyRenderOptions& render, int plan_exit,
                          const FlowOptions& options, FlowResult result) {
  const std::string& name = options.command;
  std::size_t count = 0, repositories = 0;
  std::uint64_t bytes = 0;
  for (const auto& registry_work : work) {
    repositories += registry_work.size();
    for (const auto& repo : registry_work) {
      count += repo.items.size();
      for (const auto& item : repo.items) bytes += item.image.size_bytes;
    }
  }
  if (count == 0) {
    if (options.render) render_apply_report({}, render);
    result.exit_code = plan_exit;
    return result;
  }
  if (!options.yes && !options.ask) {
    // run --config without --yes: the plan is the answer; nothing is deleted, nobody is asked.
    if (options.render && !options.quiet) {
      std::cerr << "regsweep " << name << ": plan only, " << counted(count, "image", "images")
                << " would be deleted; nothing deleted (run with --yes to delete)\n";
    }
    result.exit_code = plan_exit;
    return result;
  }
  std::string where = opened.size() == 1 ? opened[0].registry->describe()
                                         : std::to_string(opened.size()) + " registries";
  const std::string question =
      "Delete " + counted(count, "image", "images") + " (" + format_bytes(bytes) + ") from " +
      counted(repositories, "repository", "repositories") + " of " + where + "?";
  switch (ask_consent(options.yes, question)) {
    case Consent::granted:
      break;
    case Consent::declined:
      std::cerr << "regsweep " << name << ": nothing deleted\n";
      result.exit_code = k_exit_ok;
      return result;
    case Consent::no_terminal:
      std::cerr << "regsweep " << name << ": refusing to delete " << count
                << " images without --yes: stdin is not a terminal to ask on; re-run with --yes\n";
      result.exit_code = k_exit_usage;
      return result;
  }

  // Every deletion is journaled before and after the call and made under the repository's lock
  // (DESIGN.md safety rules 4 and 6); without a journal nothing is deleted. Deletions a killed
  // earlier run left open in the journal are settled first, so the journal stays complete.
  auto safety = open_deletion_safety(options.journal);
  if (!safety.ok()) {
    result.exit_code = report_error(name, safety.error());
    return result;
  }

  ProgressLine progress(options.quiet || !options.render);
  ApplyReport total;
  for (std::size_t r = 0; r < opened.size() && r < work.size(); ++r) {
    if (work[r].empty()) continue;
    Registry& registry = *opened[r].registry;
    std::set<std::string> names;
    for (const auto& repo : work[r]) names.insert(repo.repository);
    resume_interrupted(name, registry, *safety, registry.describe(), opened[r].region, names,
                       options.quiet || !options.render);
    ApplyOptions apply_options = safe_apply_options(*safety, registry.describe(), opened[r].region);
    apply_options.concurrency = options.concurrency;
    const std::string prefix = opened.size() > 1 ? opened[r].label + ": " : "";
    apply_options.on_progress = [&](const ApplyProgress& p) {
      progress.update(prefix + "deleting " + std::to_string(p.items_done) + "/" +
                      std::to_string(p.items_total) + " images, " +
                      std::to_string(p.repositories_done) + "/" +
                      std::to_string(p.repositories_total) + " repositories");
    };
    ApplyReport report = apply_deletions(registry, work[r], apply_options);
    for (auto& outcome : report.outcomes) {
      if (opened.size() > 1) outcome.repository = opened[r].label + "/" + outcome.repository;
      total.outcomes.push_back(std::move(outcome));
    }
    total.deleted += report.deleted;
    total.gone += report.gone;
    total.skipped += report.skipped;
    total.failed += report.failed;
    total.bytes_freed += report.bytes_freed;
  }
  progress.finish();
  if (options.render) render_apply_report(total, render);
  result.applied = true;
  result.deleted = total.deleted;
  result.gone = total.gone;
  result.skipped = total.skipped;
  result.failed = total.failed;
  result.bytes_freed = total.bytes_freed;
  result.exit_code = total.any_failed() || plan_exit != k_exit_ok ? k_exit_failed : k_exit_ok;
  return result;
}

}  // namespace regsweep::cli
