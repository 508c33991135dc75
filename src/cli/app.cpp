#include "cli/app.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "app/save_snapshot.hpp"
#include "cli/commands.hpp"
#include "cli/completion_tree.hpp"
#include "cli/flag_suggestions.hpp"
#include "cli/version.hpp"
#include "http/http_trace.hpp"

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

// -v and --debug: every HTTP exchange (and, with --debug, its headers, secrets redacted) as
// "regsweep: http: ..." lines on stderr, one write per line so threads do not interleave.
void start_trace(bool verbose, bool debug) {
  if (!verbose && !debug) return;
  set_http_trace(debug ? HttpTraceLevel::headers : HttpTraceLevel::calls,
                 [](std::string_view line) {
                   const std::string text = "regsweep: " + std::string(line) + "\n";
                   std::fwrite(text.data(), 1, text.size(), stderr);
                 });
}

}  // namespace

int run_main(int argc, char** argv) {
  CLI::App app{"regsweep: delete old and untagged container images by ECR lifecycle policy rules"};
  app.require_subcommand(1);
  app.set_version_flag("--version", version_text());
  // Global flags, before or after the subcommand (fallthrough hands a subcommand's unknown
  // flags to its parent).
  bool verbose = false;
  bool debug = false;
  app.add_flag("-v,--verbose", verbose,
               "Show each HTTP call on stderr: method, URL, operation, status, latency, request "
               "id, attempt; the proxy and CA bundle per host")
      ->group(k_global_options);
  app.add_flag("--debug", debug,
               "As -v, plus the request and response headers (credentials always redacted)")
      ->group(k_global_options);
  app.fallthrough();
  RunFunction run;
  for (const auto& entry : k_commands) {
    CLI::App* sub = app.add_subcommand(entry.name, entry.summary);
    entry.setup(*sub, run);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // A misspelt flag is named, with the nearest known one, rather than reported as whatever
    // check failed first (a required flag "missing").
    if (e.get_exit_code() != 0) {
      if (auto message = unknown_flag_message(app, argc, argv)) {
        std::cerr << "regsweep: " << *message << '\n';
        return k_exit_usage;
      }
    }
    const int code = app.exit(e);
    return code == 0 ? k_exit_ok : k_exit_usage;
  }
  if (!run) return k_exit_usage;
  start_trace(verbose, debug);
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
