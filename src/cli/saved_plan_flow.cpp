#include "cli/saved_plan_flow.hpp"

#include <iostream>
#include <set>
#include <unordered_set>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "plan/protect.hpp"
#include "util/glob.hpp"
#include "util/size.hpp"

namespace regsweep::cli {
namespace {

// The registry's own identity (its account and region as ECR names them), never a guess: a plan
// made in one account must not be applied in another. What the plan leaves unsaid (a plan made
// from a snapshot without registryId) matches any.
bool belongs_to(const SavedRepository& saved, const RegistryIdentity& registry) {
  const bool region_ok = saved.region.empty() || saved.region == registry.region;
  const bool account_ok = saved.registry_id.empty() || saved.registry_id == registry.account;
  return region_ok && account_ok;
}

std::string where_of(const SavedRepository& saved) {
  std::string where = saved.repository;
  if (!saved.registry_id.empty()) where += " (registry " + saved.registry_id;
  if (!saved.region.empty())
    where += (saved.registry_id.empty() ? " (region " : ", region ") + saved.region;
  if (!saved.registry_id.empty() || !saved.region.empty()) where += ")";
  return where;
}

bool selected(const std::vector<std::string>& globs, const std::string& name) {
  if (globs.empty()) return true;
  for (const auto& glob : globs)
    if (glob_match(glob, name, GlobSyntax::star_and_question)) return true;
  return false;
}

// Protections of today on the saved deletions of one repository: items whose image would now be
// kept are removed and reported as mismatches. Only ever removes items.
void protect_again(const Repository& live, RepositoryDeletions& deletions,
                   const PlanOptions& plan_options, std::vector<SavedPlanMismatch>& mismatches) {
  if (!plan_options.protect || deletions.items.empty()) return;
  std::unordered_set<std::string> planned;
  for (const auto& item : deletions.items) planned.insert(item.image.digest);
  std::vector<Verdict> verdicts(live.images.size());
  for (std::size_t i = 0; i < live.images.size(); ++i) {
    if (!planned.count(live.images[i].digest)) continue;
    verdicts[i].action = VerdictAction::expire;
    verdicts[i].reason = VerdictReason::age_exceeded;
    verdicts[i].rule_priority = 1;
  }
  ProtectionOptions protection = plan_options.protection;
  protection.now = plan_options.now;
  protection.in_use = plan_options.in_use_for ? plan_options.in_use_for(live) : nullptr;
  const auto protections = protect_repository(live.images, verdicts, protection);
  std::unordered_set<std::string> still_expiring;
  for (std::size_t i = 0; i < live.images.size(); ++i)
    if (verdicts[i].action == VerdictAction::expire) still_expiring.insert(live.images[i].digest);
  for (const auto& p : protections) {
    const std::string& digest = live.images[p.image].digest;
    if (planned.count(digest) && !still_expiring.count(digest))
      mismatches.push_back({deletions.repository, digest, explain_protection(p)});
  }
  std::erase_if(deletions.items,
                [&](const DeletionItem& item) { return !still_expiring.count(item.image.digest); });
}

}  // namespace

FlowResult run_saved_plan_flow(const std::vector<OpenedRegistry>& opened, const SavedPlan& saved,
                               const std::string& file, const FlowOptions& options) {
  const std::string& name = options.command;
  FlowResult result;
  // Which registry each repository of the plan belongs to, decided entirely before any listing,
  // by each registry's identity; one that cannot be known stops everything.
  std::vector<RegistryIdentity> identities;
  for (const auto& o : opened) {
    auto identity = o.registry->identity();
    if (!identity) {
      Error error = std::move(identity).take_error();
      error.message = "--plan " + file + ": cannot tell which account " + o.label + " is (" +
                      error.message + "), so the plan cannot be matched to it; nothing deleted";
      result.exit_code = report_error(name, error);
      return result;
    }
    identities.push_back(std::move(identity).value());
  }
  std::vector<std::vector<const SavedRepository*>> assigned(opened.size());
  for (const auto& repo : saved.repositories) {
    if (repo.expiring.empty() || !selected(options.plan.repository_globs, repo.repository))
      continue;
    std::vector<std::size_t> candidates;
    for (std::size_t r = 0; r < opened.size(); ++r)
      if (belongs_to(repo, identities[r])) candidates.push_back(r);
    if (candidates.size() != 1) {
      std::string names;
      for (const auto& id : identities)
        names += (names.empty() ? "" : ", ") + id.account + "/" + id.region;
      result.exit_code = report_error(
          name,
          make_error(ErrorCode::invalid_input,
                     "--plan " + file + ": repository " + where_of(repo) +
                         (candidates.empty() ? " belongs to none" : " matches more than one") +
                         " of the registries opened (" + names +
                         "); fix: pass the --region/--role-arn the plan was made with"));
      return result;
    }
    assigned[candidates.front()].push_back(&repo);
  }

  std::vector<std::vector<RepositoryDeletions>> work(opened.size());
  std::vector<SavedPlanMismatch> mismatches;
  std::size_t skipped_repositories = 0;
  for (std::size_t r = 0; r < opened.size(); ++r) {
    for (const SavedRepository* repo : assigned[r]) {
      auto images = opened[r].registry->list_images(repo->repository);
      if (!images.ok()) {
        ++skipped_repositories;
        std::cerr << "regsweep " << name << ": " << opened[r].label << "/" << repo->repository
                  << ": skipped, listing failed: " << images.error().message << '\n';
        continue;
      }
      Repository live{repo->repository, repo->registry_id, opened[r].region, std::move(*images)};
      RepositoryDeletions deletions = deletions_from_saved_plan(*repo, live.images, mismatches);
      protect_again(live, deletions, options.plan, mismatches);
      if (!deletions.items.empty()) work[r].push_back(std::move(deletions));
    }
  }
  for (const auto& m : mismatches) {
    std::cerr << "regsweep " << name << ": not deleting " << m.repository << " " << m.digest << ": "
              << m.problem << '\n';
  }
  if (!options.quiet) {
    std::size_t count = 0;
    for (const auto& registry_work : work)
      for (const auto& repo : registry_work) count += repo.items.size();
    std::cerr << "regsweep " << name << ": saved plan " << file << " (" << saved.source
              << ", evaluated " << format_iso8601(saved.now) << "): " << count
              << " images still as planned, " << mismatches.size() << " no longer\n";
  }
  result.skipped_repositories = skipped_repositories;
  ApplyRenderOptions render{options.json,
                            options.quiet,
                            options.plan.price_per_gb_month,
                            0,
                            skipped_repositories,
                            std::vector<NotAsPlanned>()};
  for (const auto& m : mismatches)
    render.not_as_planned->push_back({m.repository, m.digest, m.problem});
  const int plan_exit = skipped_repositories == 0 ? k_exit_ok : k_exit_failed;
  return delete_planned(opened, work, render, plan_exit, options, result);
}

}  // namespace regsweep::cli
