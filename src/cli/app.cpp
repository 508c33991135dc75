#include "cli/app.hpp"

#include <CLI/CLI.hpp>
#include <iostream>

#include "app/save_snapshot.hpp"
#include "cli/commands.hpp"
#include "cli/version.hpp"

namespace regsweep::cli {
namespace {

// The one table of subcommands. Add a line here and a <name>_command.cpp beside this file.
constexpr CommandEntry k_commands[] = {
    {"plan", "Show what a lifecycle policy would expire or transition, per image, and why",
     setup_plan},
    {"policy", "Validate, and (with ECR) get, put, diff, preview and delete lifecycle policies",
     setup_policy},
    {"apply",
     "Plan, then delete (or archive) the images a policy expires (asks first unless --yes)",
     setup_apply},
    {"delete", "Delete images by tag or digest, or the untagged ones, from one repository",
     setup_delete},
    {"restore", "Bring archived images back to standard storage (by tag, digest, or all)",
     setup_restore},
    {"snapshot", "Write the registry's images to a snapshot file, for offline plans",
     setup_snapshot},
    {"inuse",
     "Collect the images in use (Kubernetes, ECS, keep files, commands) into an in-use file",
     setup_inuse},
    {"journal", "Show the journal of deletions, or put deleted images back", setup_journal},
    {"setup", "One-time ECR settings: pull-time update exclusions", setup_setup},
    {"run", "Run every target of a config file: apply or install policies (cron, CI)", setup_run},
    {"ui", "Browse, select and delete images and preview policies in a local web UI", setup_ui},
    {"completion", "Print a bash, zsh or fish completion script for regsweep", setup_completion},
};

}  // namespace

int run_main(int argc, char** argv) {
  CLI::App app{"regsweep: delete old and untagged container images by ECR lifecycle policy rules"};
  app.require_subcommand(1);
  app.set_version_flag("--version", version_text());
  RunFunction run;
  for (const auto& entry : k_commands) {
    CLI::App* sub = app.add_subcommand(entry.name, entry.summary);
    entry.setup(*sub, run);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? k_exit_ok : k_exit_usage;
  }
  if (!run) return k_exit_usage;
  // One command, then exit: a snapshot's inventory is left to the OS rather than freed image by
  // image (about a tenth of a million-image plan).
  keep_loaded_inventories_until_exit();
  // Errors are values everywhere; this is the last line for what a library throws where nobody
  // expected it (e.g. std::bad_alloc): a message and exit 1, never an abort with a core dump.
  try {
    return run();
  } catch (const std::exception& e) {
    std::cerr << "regsweep: internal error: " << e.what()
              << "; nothing more was done (please report this)\n";
  } catch (...) {
    std::cerr << "regsweep: internal error: an unknown exception; nothing more was done (please "
                 "report this)\n";
  }
  return k_exit_failed;
}

}  // namespace regsweep::cli
