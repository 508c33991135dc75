// The run use case (`regsweep run --config`): every target of a config (app/run_config.hpp), one
// after another. Each target's (account, region) pairs are opened and seen through its repository
// selection (globs minus exclusions: registry/selected_registry.hpp), so exclusions hold for every
// mode: install puts the target's policy (app/policy_fleet.hpp; a preview without `yes`), apply
// plans and deletes (app/apply_policy.hpp; a plan only without `yes`: run never asks). The
// protections of every apply target are loaded before anything is contacted (prepare_run).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/apply_policy.hpp"
#include "app/policy_fleet.hpp"
#include "app/run_config.hpp"

namespace regsweep {

// A config with every apply target's protections read (their files and clusters).
struct PreparedRun {
  RunConfig config;
  std::vector<PlanOptions> plans;  // per target: the guards and the in-use lookup
  std::vector<std::shared_ptr<LoadedProtections>> protections;  // per target, or null
};

// invalid_input naming the target when an input cannot be read ("target prod: protections:
// keep_files x: ...").
Result<PreparedRun> prepare_run(RunConfig config);

using RegistryOpener = std::function<Result<std::vector<OpenedRegistry>>(const RegistrySource&)>;

struct RunRequest {
  bool yes = false;                       // delete and write; without it: plans and previews only
  EpochMillis now = 0;                    // apply targets are evaluated as of this time
  RegistryOpener open = open_registries;  // each target's registries (tests open fakes)
  GetEnv env = process_env();             // where the state directory is (journal, locks)
  // Only this shard's registries of every target (app/shard.hpp); a repositories glob that matches
  // nothing here may match in another shard's registries, so it is a note, not a failure.
  std::optional<ShardSpec> shard = std::nullopt;
};

// What one target did, for the summary.
struct TargetResult {
  std::string name;
  TargetMode mode = TargetMode::apply;
  std::vector<std::string> registries;  // labels
  bool failed = false;
  std::string error;  // the target could not start (e.g. a role could not be assumed)
  // install
  std::optional<FleetReport> install;
  // apply
  PlanTotals planned;
  std::size_t skipped_repositories = 0;
  std::size_t unlisted_registries = 0;
  std::optional<DeletionOutcome> deletion;  // its report's items are dropped: counts only
  std::vector<std::string> unresolved_in_use;
  // repositories globs that match no repository at all, not even an excluded one
  std::vector<std::string> unmatched_globs;
};

// A front end follows the run through these (besides progress and notes).
class RunEvents : public Events {
 public:
  virtual void target_started(const RunTarget& target) { (void)target; }
  virtual void installed(const RunTarget& target, const FleetReport& report) {
    (void)target;
    (void)report;
  }
  virtual void planned(const RunTarget& target, PlanOutcome& plan) {
    (void)target;
    (void)plan;
  }
  virtual void applied(const RunTarget& target, const ApplyOutcome& outcome) {
    (void)target;
    (void)outcome;
  }
};

std::vector<TargetResult> run_targets(const PreparedRun& run, const RunRequest& request,
                                      Clock& clock, RunEvents& events);

}  // namespace regsweep
