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

// Exit codes (DESIGN.md): 0 done; 1 an operation failed; 2 bad usage or input, nothing contacted.
constexpr int k_exit_ok = 0;
constexpr int k_exit_failed = 1;
constexpr int k_exit_usage = 2;

void setup_plan(CLI::App& sub, RunFunction& run);
void setup_policy(CLI::App& sub, RunFunction& run);

}  // namespace regsweep::cli
