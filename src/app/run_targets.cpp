#include "app/run_targets.hpp"

#include "registry/selected_registry.hpp"

namespace regsweep {
namespace {

// The target's registries, each seen through its repository selection. `opened` owns the inner
// registries and must outlive the returned ones.
std::vector<OpenedRegistry> selected(const std::vector<OpenedRegistry>& opened,
                                     const RepositorySelection& selection,
                                     SelectionWitness& witness) {
  std::vector<OpenedRegistry> out;
  for (const auto& o : opened) {
    out.push_back({o.label, select_repositories(*o.registry, selection, &witness), o.account,
                   o.region, o.calls});
  }
  return out;
}

void run_install(const RunTarget& target, const std::vector<OpenedRegistry>& registries,
                 const RunSettings& settings, bool yes, TargetResult& result, RunEvents& events) {
  std::vector<FleetTarget> fleet;
  for (const auto& r : registries) fleet.push_back({r.label, r.registry.get()});
  FleetOptions options;
  options.repositories.include = target.repositories;
  options.repositories.exclude = target.exclude;
  options.write = yes;
  options.concurrency = settings.concurrency;
  FleetReport report = put_policy_fleet(fleet, target.policy, target.policy_text, options);
  events.installed(target, report);
  result.failed = report.any_failed();
  result.install = std::move(report);
}

void run_apply(const RunTarget& target, const std::vector<OpenedRegistry>& registries,
               const RunSettings& settings, const PlanOptions& plan, const RunRequest& request,
               Clock& clock, TargetResult& result, RunEvents& events) {
  ApplyRequest apply;
  apply.plan.plan = plan;
  apply.plan.plan.now = request.now;
  apply.plan.plan.price_per_gb_month = settings.price_per_gb_month;
  apply.plan.concurrency = settings.concurrency;
  apply.session.journal = settings.journal;
  apply.session.env = request.env;
  apply.session.concurrency = settings.concurrency;
  apply.consent.yes = request.yes;  // and no one to ask: without --yes, the plan only
  const RepositorySelection selection{target.repositories, target.exclude};
  apply.settle_filter = [selection](const std::string& name) { return selection.matches(name); };
  apply.on_planned = [&](PlanOutcome& planned) { events.planned(target, planned); };
  ApplyOutcome outcome = apply_policy(registries, target.policy, apply, clock, events);
  events.applied(target, outcome);
  result.planned = outcome.planned.fleet.merged.totals;
  result.skipped_repositories = outcome.skipped_repositories;
  result.unlisted_registries = outcome.planned.fleet.unlisted.size();
  const auto& deletion = outcome.deletion;
  result.failed = !outcome.planned.complete() || deletion.report.any_failed() ||
                  deletion.ending == DeletionEnding::failed || !deletion.unidentified.empty();
  if (deletion.ending == DeletionEnding::failed && deletion.error)
    result.error = deletion.error->message;
  result.deletion = std::move(outcome.deletion);
  result.deletion->report.outcomes.clear();  // counts are kept; the items were shown
}

TargetResult run_target(const RunTarget& target, const PreparedRun& run, std::size_t index,
                        const RunRequest& request, Clock& clock, RunEvents& events) {
  const RunSettings& settings = run.config.settings;
  TargetResult result;
  result.name = target.name;
  result.mode = target.mode;
  RegistrySource source;
  source.regions = target.regions;
  source.role_arns = target.role_arns;
  source.external_id = target.external_id;
  source.profile = target.profile;
  source.endpoint_url = target.endpoint_url;
  source.registry_id = target.registry_id;
  source.timeouts = settings.timeouts;
  source.shard = request.shard;
  auto opened = request.open(source);
  if (!opened.ok()) {
    result.failed = true;
    result.error = opened.error().message;
    return result;
  }
  for (const auto& o : *opened) result.registries.push_back(o.label);
  const RepositorySelection selection{target.repositories, target.exclude};
  SelectionWitness witness;
  const auto registries = selected(*opened, selection, witness);
  events.target_started(target);
  if (target.mode == TargetMode::install) {
    run_install(target, registries, settings, request.yes, result, events);
  } else {
    run_apply(target, registries, settings, run.plans[index], request, clock, result, events);
    if (run.protections[index]) result.unresolved_in_use = run.protections[index]->unresolved();
  }
  // A repositories glob that matched nothing (not even an excluded repository) is a typo: under
  // cron it must fail the run rather than clean nothing quietly.
  if (request.shard) {
    for (const auto& glob : witness.unmatched(selection))
      events.info("target " + target.name + ": repositories '" + glob +
                  "' matches no repository in the registries of " + describe(*request.shard));
    return result;
  }
  result.unmatched_globs = witness.unmatched(selection);
  for (const auto& glob : result.unmatched_globs) {
    result.failed = true;
    events.warn("target " + target.name + ": repositories '" + glob +
                "' matches no repository; check the name ('*' and '?' are the wildcards)");
  }
  return result;
}

}  // namespace

Result<PreparedRun> prepare_run(RunConfig config) {
  PreparedRun run;
  run.plans.resize(config.targets.size());
  run.protections.resize(config.targets.size());
  for (std::size_t i = 0; i < config.targets.size(); ++i) {
    const RunTarget& target = config.targets[i];
    if (target.mode != TargetMode::apply) continue;
    auto loaded = load_protections(target.protections, run.plans[i]);
    if (!loaded.ok()) {
      Error error = std::move(loaded).take_error();
      error.message = "target " + target.name + ": protections: " + error.message;
      return error;
    }
    run.protections[i] = std::move(loaded).value();
  }
  run.config = std::move(config);
  return run;
}

std::vector<TargetResult> run_targets(const PreparedRun& run, const RunRequest& request,
                                      Clock& clock, RunEvents& events) {
  std::vector<TargetResult> results;
  for (std::size_t i = 0; i < run.config.targets.size(); ++i)
    results.push_back(run_target(run.config.targets[i], run, i, request, clock, events));
  return results;
}

}  // namespace regsweep
