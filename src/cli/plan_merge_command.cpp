// regsweep plan merge FILE... [-o FILE]: the plans of the shards of one sharded run (`plan
// --shard-index I --shard-count N -o FILE`) joined into one plan document for review and for
// `apply --plan` (app/merge_plans.hpp). Written to stdout, or with -o to FILE (FILE.tmp, fsync'd,
// renamed). Exit 0 merged; 2 a file cannot be read or the plans do not fit together (nothing
// written).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "app/merge_plans.hpp"
#include "cli/cli_support.hpp"
#include "cli/commands.hpp"

namespace regsweep::cli {
namespace {

struct PlanMergeOptions {
  std::vector<std::string> files;
  std::string output;  // empty: stdout
};

Status merge_to_file(const PlanMergeOptions& options) {
  const std::string temporary = options.output + ".tmp";
  std::FILE* out = std::fopen(temporary.c_str(), "wb");
  if (out == nullptr)
    return make_error(ErrorCode::invalid_input, "-o " + options.output + ": cannot write " +
                                                    temporary + ": " + std::strerror(errno) +
                                                    "; fix: name a file in a writable folder");
  bool failed = false;
  auto merged = merge_plan_files(options.files, [&](std::string_view chunk) {
    if (!failed && std::fwrite(chunk.data(), 1, chunk.size(), out) != chunk.size()) failed = true;
  });
  if (std::fflush(out) != 0 || ::fsync(::fileno(out)) != 0) failed = true;
  if (std::fclose(out) != 0) failed = true;
  if (!merged || failed || std::rename(temporary.c_str(), options.output.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    std::remove(temporary.c_str());
    if (!merged) return merged;
    return make_error(ErrorCode::internal, "-o " + options.output + ": cannot write: " + why);
  }
  return ok_status();
}

int run_plan_merge(const PlanMergeOptions& options) {
  Status merged =
      options.output.empty()
          ? merge_plan_files(options.files, [](std::string_view chunk) { write_stdout(chunk); })
          : merge_to_file(options);
  if (!merged) return report_error("plan merge", merged.error());
  std::fflush(stdout);
  return k_exit_ok;
}

}  // namespace

void setup_plan_merge(CLI::App& sub, RunFunction& run) {
  auto options = std::make_shared<PlanMergeOptions>();
  sub.add_option("files", options->files, "The shards' plan documents (plan -o FILE)")->required();
  sub.add_option("-o,--output-file", options->output,
                 "Write the merged plan here instead of stdout");
  sub.callback([&run, options] { run = [options] { return run_plan_merge(*options); }; });
}

}  // namespace regsweep::cli
