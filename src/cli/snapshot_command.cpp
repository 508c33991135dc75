// regsweep snapshot: records a registry's repositories and images (with the manifests of indexes
// and artifacts) in the snapshot format, so a plan can be reviewed offline or shared:
//   regsweep snapshot [--repository-name GLOB]... -o FILE
// Only complete listings are written; a repository whose listing failed is named on stderr and
// left out, and the exit code is 1. Exit 2 for bad usage.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "app/registry_sources.hpp"
#include "app/save_snapshot.hpp"
#include "cli/cli_events.hpp"
#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/source_options.hpp"

namespace regsweep::cli {
namespace {

struct SnapshotCommandOptions {
  RegistrySource source;
  std::vector<std::string> repository_globs;
  std::string output_path;
  bool quiet = false;
};

int run_snapshot(const SnapshotCommandOptions& options) {
  if (auto one = check_one_registry(options.source, "snapshot"); !one.ok())
    return report_error("snapshot", one.error());
  auto opened = open_registries(options.source);
  if (!opened.ok()) return report_error("snapshot", opened.error());
  if (opened->size() != 1) {
    return report_error("snapshot", make_error(ErrorCode::invalid_input,
                                               "a snapshot holds one registry; give one --region "
                                               "and at most one --role-arn"));
  }
  Registry& registry = *opened->front().registry;
  CliEvents events("snapshot", options.quiet);
  auto inventory =
      save_registry_snapshot(registry, {options.repository_globs, options.output_path, 4}, events);
  events.finish_progress();
  if (!inventory.ok()) return report_error("snapshot", inventory.error());
  for (const auto& skipped : (*inventory)->skipped) {
    std::cerr << "regsweep snapshot: " << skipped.name
              << ": skipped, listing failed: " << skipped.reason << '\n';
  }
  if (!options.quiet) {
    std::size_t images = 0;
    for (const auto& repo : (*inventory)->repositories) images += repo.images.size();
    std::cerr << "regsweep snapshot: wrote " << (*inventory)->repositories.size()
              << " repositories, " << images << " images to " << options.output_path << '\n';
  }
  return (*inventory)->skipped.empty() ? k_exit_ok : k_exit_failed;
}

}  // namespace

void setup_snapshot(CLI::App& sub, RunFunction& run) {
  auto options = std::make_shared<SnapshotCommandOptions>();
  add_source_options(sub, options->source, SnapshotFlag::offered);
  sub.add_option("--repository-name", options->repository_globs,
                 "Only repositories matching this glob ('*', '?'); repeatable");
  sub.add_option("-o,--output-file", options->output_path,
                 "Where to write the snapshot ('-' for stdout)")
      ->required();
  sub.add_flag("--quiet,-q", options->quiet, "No summary or progress line on stderr");
  sub.callback([&run, options] { run = [options] { return run_snapshot(*options); }; });
}

}  // namespace regsweep::cli
