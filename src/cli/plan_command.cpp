// Placeholder until the plan command lands (issue 2); keeps the table complete.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"

namespace regsweep::cli {

void setup_plan(CLI::App& sub, RunFunction& run) {
  sub.callback([&run] {
    run = [] {
      std::cerr << "regsweep plan: not implemented yet\n";
      return k_exit_failed;
    };
  });
}

}  // namespace regsweep::cli
