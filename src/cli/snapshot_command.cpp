// regsweep snapshot: records a registry's repositories and images (with the manifests of indexes
// and artifacts) in the snapshot format, so a plan can be reviewed offline or shared:
//   regsweep snapshot [--repository-name GLOB]... --output-file FILE
// Only complete listings are written; a repository whose listing failed is named on stderr and
// left out, and the exit code is 1. Exit 2 for bad usage.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/registry_sources.hpp"
#include "app/save_snapshot.hpp"
#include "cli/cli_events.hpp"
#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/source_options.hpp"
#include "util/size.hpp"

namespace regsweep::cli {
namespace {

struct SnapshotCommandOptions {
  RegistrySource source;
  std::vector<std::string> repository_globs;
  std::string output_path;
  std::string output;  // --output: the summary's format
  bool quiet = false;
};

int run_snapshot(const SnapshotCommandOptions& options) {
  auto format = resolve_output(options.output);
  if (!format.ok()) return report_error("snapshot", format.error());
  if (*format != OutputFormat::table && options.output_path == "-") {
    return report_error("snapshot",
                        make_error(ErrorCode::invalid_input,
                                   "--output " + std::string(to_string(*format)) +
                                       ": stdout holds the snapshot (--output-file -); fix: write "
                                       "the snapshot to a file, or use --output table"));
  }
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
  std::size_t images = 0;
  for (const auto& repo : (*inventory)->repositories) images += repo.images.size();
  const std::size_t repositories = (*inventory)->repositories.size();
  if (*format == OutputFormat::json) {
    nlohmann::json skipped = nlohmann::json::array();
    for (const auto& s : (*inventory)->skipped)
      skipped.push_back({{"repositoryName", s.name}, {"reason", s.reason}});
    const nlohmann::json summary = {{"schemaVersion", 1},
                                    {"file", options.output_path},
                                    {"repositories", repositories},
                                    {"images", images},
                                    {"skippedRepositories", skipped}};
    write_stdout(summary.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  } else if (*format == OutputFormat::text) {
    std::string text = text_record(
        {"SNAPSHOT", options.output_path, std::to_string(repositories), std::to_string(images)});
    for (const auto& s : (*inventory)->skipped) text += text_record({"SKIPPED", s.name, s.reason});
    write_stdout(text);
  } else if (!options.quiet) {
    // The table summary is a line on stderr: stdout may hold the snapshot itself.
    std::cerr << "regsweep snapshot: wrote " << counted(repositories, "repository", "repositories")
              << ", " << counted(images, "image", "images") << " to " << options.output_path
              << '\n';
  }
  return (*inventory)->skipped.empty() ? k_exit_ok : k_exit_failed;
}

}  // namespace

void setup_snapshot(CLI::App& sub, RunFunction& run) {
  auto options = std::make_shared<SnapshotCommandOptions>();
  add_source_options(sub, options->source, SnapshotFlag::offered);
  sub.add_option("--repository-name", options->repository_globs,
                 "Only repositories matching this glob ('*', '?'); repeatable");
  sub.add_option("--output-file", options->output_path,
                 "Where to write the snapshot ('-' for stdout)")
      ->required();
  add_output_option(sub, options->output);
  sub.add_flag("--quiet,-q", options->quiet, "No summary or progress line on stderr");
  sub.callback([&run, options] { run = [options] { return run_snapshot(*options); }; });
}

}  // namespace regsweep::cli
