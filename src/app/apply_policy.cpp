#include "app/apply_policy.hpp"

#include <set>
#include <unordered_map>
#include <unordered_set>

#include "plan/protect.hpp"
#include "policy/explain.hpp"
#include "util/input_file.hpp"
#include "util/size.hpp"

namespace regsweep {
namespace {

// The expiring images of one registry's part of the plan, as deletions by digest, and its
// transitioning ones, as archives.
std::vector<RepositoryDeletions> deletions_of(const Plan& merged, const RegistryPlan& entry,
                                              const Policy& policy) {
  std::vector<RepositoryDeletions> work;
  Explainer explainer(policy, merged.now);
  for (std::size_t r = entry.first; r < entry.first + entry.count; ++r) {
    const RepositoryPlan& repo_plan = merged.repositories[r];
    RepositoryDeletions repo{repo_plan.repository->name, {}};
    for (std::size_t i = 0; i < repo_plan.verdicts.size(); ++i) {
      const Verdict& verdict = repo_plan.verdicts[i];
      const ImageRecord& image = repo_plan.repository->images[i];
      if (verdict.action == VerdictAction::keep) continue;
      const bool archive = verdict.action == VerdictAction::transition;
      repo.items.push_back({{image.digest, ""},
                            image,
                            !archive,
                            std::string(explainer(verdict)),
                            archive ? ItemAction::archive : ItemAction::remove});
    }
    if (!repo.items.empty()) work.push_back(std::move(repo));
  }
  return work;
}

RepositoryFilter globs_filter(const std::vector<std::string>& globs) {
  return [globs](const std::string& name) { return repository_selected(globs, name); };
}

// Today's protections on a saved plan's deletions and archives of one repository: items whose
// image would now be kept are removed and reported. Only ever removes items (cascades never add
// any).
void protect_again(const Repository& live, RepositoryDeletions& deletions,
                   const PlanOptions& plan_options, std::vector<SavedPlanMismatch>& mismatches) {
  if (!plan_options.protect || deletions.items.empty()) return;
  std::unordered_map<std::string, ItemAction> planned;
  for (const auto& item : deletions.items) planned.emplace(item.image.digest, item.action);
  std::vector<Verdict> verdicts(live.images.size());
  for (std::size_t i = 0; i < live.images.size(); ++i) {
    const auto it = planned.find(live.images[i].digest);
    if (it == planned.end()) continue;
    verdicts[i].action =
        it->second == ItemAction::archive ? VerdictAction::transition : VerdictAction::expire;
    verdicts[i].reason = VerdictReason::age_exceeded;
    verdicts[i].rule_priority = 1;
  }
  ProtectionOptions protection = plan_options.protection;
  protection.now = plan_options.now;
  protection.in_use = plan_options.in_use_for ? plan_options.in_use_for(live) : nullptr;
  const auto protections = protect_repository(live.images, verdicts, protection);
  std::unordered_set<std::string> still_expiring;
  for (std::size_t i = 0; i < live.images.size(); ++i)
    if (verdicts[i].action != VerdictAction::keep) still_expiring.insert(live.images[i].digest);
  for (const auto& p : protections) {
    const std::string& digest = live.images[p.image].digest;
    const auto it = planned.find(digest);
    if (it != planned.end() && !still_expiring.count(digest)) {
      mismatches.push_back(
          {deletions.repository, digest, explain_protection(p), it->second == ItemAction::archive});
    }
  }
  std::erase_if(deletions.items,
                [&](const DeletionItem& item) { return !still_expiring.count(item.image.digest); });
}

// What the plan leaves unsaid (a plan made from a snapshot without registryId) matches any.
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

void fail(ApplyOutcome& outcome, Error error) {
  outcome.deletion.ending = DeletionEnding::failed;
  outcome.deletion.error = std::move(error);
}

}  // namespace

ApplyOutcome apply_policy(const std::vector<OpenedRegistry>& opened, const Policy& policy,
                          const ApplyRequest& request, Clock& clock, Events& events) {
  ApplyOutcome outcome;
  ConsentRules consent = request.consent;
  consent.warn_early_deletions = false;  // the plan's warnings already told them
  Deleting deleting(opened, request.session, consent,
                    request.settle_filter ? request.settle_filter
                                          : globs_filter(request.plan.plan.repository_globs),
                    clock, events);
  if (!deleting.open_if_consented(outcome.deletion)) return outcome;
  // Deleting happens now: fresh images are judged by the real clock too (plan/protect.hpp).
  PlanRequest plan = request.plan;
  plan.plan.protection.clock = clock.now();
  outcome.planned = plan_registries(opened, policy, plan, clock, events);
  if (request.on_planned) request.on_planned(outcome.planned);
  const FleetPlan& fleet = outcome.planned.fleet;
  outcome.skipped_repositories = fleet.merged.skipped.size();
  std::vector<std::vector<RepositoryDeletions>> work(fleet.registries.size());
  for (std::size_t r = 0; r < fleet.registries.size(); ++r)
    work[r] = deletions_of(fleet.merged, fleet.registries[r], policy);
  deleting.delete_planned(work, outcome.deletion);
  return outcome;
}

ApplyOutcome apply_saved_plan(const std::vector<OpenedRegistry>& opened, const SavedPlan& saved,
                              const std::string& file, const ApplyRequest& request, Clock& clock,
                              Events& events) {
  ApplyOutcome outcome;
  const auto& globs = request.plan.plan.repository_globs;
  // Which registry each repository of the plan belongs to, decided entirely before any listing,
  // by each registry's own identity; one that cannot be known stops everything.
  std::vector<RegistryIdentity> identities;
  for (std::size_t r = 0; r < opened.size(); ++r) {
    auto identity = opened[r].registry->identity();
    if (!identity) {
      Error error = std::move(identity).take_error();
      error.message = "--plan " + file + ": cannot tell which account " + opened[r].label +
                      " is (" + error.message +
                      "), so the plan cannot be matched to it; nothing deleted";
      fail(outcome, std::move(error));
      return outcome;
    }
    identities.push_back(std::move(identity).value());
  }
  std::vector<std::vector<const SavedRepository*>> assigned(opened.size());
  for (const auto& repo : saved.repositories) {
    if ((repo.expiring.empty() && repo.transitioning.empty()) ||
        !repository_selected(globs, repo.repository))
      continue;
    std::vector<std::size_t> candidates;
    for (std::size_t r = 0; r < opened.size(); ++r)
      if (belongs_to(repo, identities[r])) candidates.push_back(r);
    if (candidates.size() != 1) {
      std::string names;
      for (const auto& id : identities)
        names += (names.empty() ? "" : ", ") + id.account + "/" + id.region;
      fail(outcome,
           make_error(ErrorCode::invalid_input,
                      "--plan " + file + ": repository " + where_of(repo) +
                          (candidates.empty() ? " belongs to none" : " matches more than one") +
                          " of the registries opened (" + names +
                          "); fix: pass the --region/--role-arn the plan was made with"));
      return outcome;
    }
    assigned[candidates.front()].push_back(&repo);
  }
  // Settled before planning when consent is given: the plan's repositories (and the globs').
  std::set<std::string> planned_names;
  for (const auto& repo : saved.repositories) planned_names.insert(repo.repository);
  const RepositoryFilter filter =
      request.settle_filter
          ? request.settle_filter
          : [planned_names, globs](const std::string& name) {
              return planned_names.count(name) > 0 && repository_selected(globs, name);
            };
  Deleting deleting(opened, request.session, request.consent, filter, clock, events);
  for (std::size_t r = 0; r < opened.size(); ++r) deleting.know_identity(r, identities[r]);
  if (!deleting.open_if_consented(outcome.deletion)) return outcome;

  // Protections judged by the real clock: a saved plan is applied now.
  PlanOptions plan_options = request.plan.plan;
  plan_options.now = clock.now();
  plan_options.protection.clock = plan_options.now;
  std::vector<std::vector<RepositoryDeletions>> work(opened.size());
  for (std::size_t r = 0; r < opened.size(); ++r) {
    for (const SavedRepository* repo : assigned[r]) {
      auto images = opened[r].registry->list_images(repo->repository);
      if (!images.ok()) {
        ++outcome.skipped_repositories;
        events.warn(opened[r].label + "/" + repo->repository +
                    ": skipped, listing failed: " + images.error().message);
        continue;
      }
      Repository live{repo->repository, repo->registry_id, opened[r].region, std::move(*images)};
      RepositoryDeletions deletions{repo->repository, {}};
      for (auto& still : match_saved_repository(*repo, live.images, outcome.not_as_planned))
        deletions.items.push_back({{still.image->digest, ""}, *still.image, true, still.reason});
      for (auto& still : match_saved_transitions(*repo, live.images, outcome.not_as_planned)) {
        deletions.items.push_back(
            {{still.image->digest, ""}, *still.image, false, still.reason, ItemAction::archive});
      }
      protect_again(live, deletions, plan_options, outcome.not_as_planned);
      if (!deletions.items.empty()) work[r].push_back(std::move(deletions));
    }
  }
  for (const auto& m : outcome.not_as_planned)
    events.warn(std::string(m.transition ? "not archiving " : "not deleting ") + m.repository +
                " " + m.digest + ": " + m.problem);
  std::size_t count = 0;
  for (const auto& registry_work : work)
    for (const auto& repo : registry_work) count += repo.items.size();
  events.info("saved plan " + file + " (" + saved.source + ", evaluated " +
              format_iso8601(saved.now) + "): " + std::to_string(count) +
              " images still as planned, " + std::to_string(outcome.not_as_planned.size()) +
              " no longer");
  deleting.delete_planned(work, outcome.deletion);
  return outcome;
}

Result<SavedPlan> read_saved_plan(const std::string& path) {
  auto text = read_input_file("--plan", path, k_list_max_bytes);
  if (!text) return std::move(text).take_error();
  return parse_saved_plan(*text, path == "-" ? "<stdin>" : path);
}

}  // namespace regsweep
