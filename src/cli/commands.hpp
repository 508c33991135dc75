// The subcommand table's entries. Each subcommand lives in its own file (<name>_command.cpp) with
// an options struct, a setup_<name>() that declares its flags on a CLI11 subcommand, and a
// run_<name>() that does the work and returns the exit code. setup_* stores the run function in
// `run` when its subcommand is chosen.
#pragma once

#include <functional>

namespace CLI {
class App;
}

namespace regsweep::cli {

using RunFunction = std::function<int()>;

struct CommandEntry {
  const char* name;
  const char* summary;
  void (*setup)(CLI::App& sub, RunFunction& run);
};

// Exit codes (ARCHITECTURE.md): 0 done; 1 an operation failed; 2 bad usage or input, nothing
// contacted.
constexpr int k_exit_ok = 0;
constexpr int k_exit_failed = 1;
constexpr int k_exit_usage = 2;

void setup_plan(CLI::App& sub, RunFunction& run);
void setup_plan_merge(CLI::App& sub, RunFunction& run);  // plan_merge_command.cpp: plan merge
void setup_policy(CLI::App& sub, RunFunction& run);
void setup_apply(CLI::App& sub, RunFunction& run);
void setup_delete(CLI::App& sub, RunFunction& run);
void setup_snapshot(CLI::App& sub, RunFunction& run);
void setup_inuse(CLI::App& sub, RunFunction& run);
void setup_journal(CLI::App& sub, RunFunction& run);
void setup_run(CLI::App& sub, RunFunction& run);         // run_command.cpp: run --config FILE
void setup_completion(CLI::App& sub, RunFunction& run);  // completion_command.cpp: bash|zsh|fish
void setup_ui(CLI::App& sub, RunFunction& run);          // ui_command.cpp: the local web UI

// `policy` sub-subcommands (policy_<name>_command.cpp), listed in policy_command.cpp's table.
void setup_policy_validate(CLI::App& sub, RunFunction& run);
// policy_fleet_commands.cpp: one policy across many repositories, regions and accounts.
void setup_policy_put(CLI::App& sub, RunFunction& run);
void setup_policy_diff(CLI::App& sub, RunFunction& run);
void setup_policy_get(CLI::App& sub, RunFunction& run);
void setup_policy_delete(CLI::App& sub, RunFunction& run);
// policy_preview_command.cpp: plan each repository with the policy installed on it.
void setup_policy_preview(CLI::App& sub, RunFunction& run);

}  // namespace regsweep::cli
