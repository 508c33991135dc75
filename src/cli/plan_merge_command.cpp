// regsweep plan merge FILE... [--save-plan FILE] [--output table|json|text] [--max-rows N]: the
// plans of the shards of one sharded run (`plan --shard-index I --shard-count N --save-plan FILE`)
// joined into one plan document for review and for `apply --plan` (app/merge_plans.hpp). Like
// `plan`: the merged document is written with --save-plan FILE (FILE.tmp, fsync'd, renamed) and is
// what --output json prints; the table (the default) and text list each plan merged and the
// totals (docs/output.md). Exit 0 merged; 2 a file cannot be read or the plans do not fit together
// (nothing written).
#include <unistd.h>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "app/merge_plans.hpp"
#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/plan_render.hpp"
#include "cli/table.hpp"
#include "util/size.hpp"

namespace regsweep::cli {
namespace {

struct PlanMergeOptions {
  std::vector<std::string> files;
  std::string save_plan;  // --save-plan FILE: the merged document, for `apply --plan FILE`
  std::string output;     // --output; empty: REGSWEEP_OUTPUT, else table
  std::size_t max_rows = 0;
};

std::string shard_text(const MergedPlanPart& part) {
  return part.shard ? std::to_string(part.shard->index) + " of " + std::to_string(part.shard->count)
                    : "-";
}

void render_table(const MergedPlanSummary& summary, const PlanMergeOptions& options) {
  Table table({{"PLAN"},
               {"SHARD"},
               {"REGISTRIES", Align::right},
               {"REPOSITORIES", Align::right},
               {"IMAGES", Align::right},
               {"EXPIRE", Align::right},
               {"FREED", Align::right},
               {"TRANSITION", Align::right},
               {"SKIPPED", Align::right}});
  for (const auto& part : summary.parts) {
    if (options.max_rows != 0 && table.rows() >= options.max_rows) break;
    const PlanTotals& t = part.totals;
    table.add({part.name, shard_text(part), thousands(part.registries), thousands(t.repositories),
               thousands(t.images), thousands(t.expiring), format_bytes(t.bytes_expiring),
               thousands(t.transitioning),
               thousands(part.skipped_repositories + part.skipped_registries)});
  }
  const PlanTotals& t = summary.totals;
  std::string out = table.render() + more_rows_line(table.rows(), summary.parts.size(), "");
  out += fmt::format(
      "Merged {}: {}, {}, {}; {} expire ({} freed), {} transition, {} keep; ${:.2f} saved per "
      "month\n",
      counted(summary.parts.size(), "plan", "plans"),
      counted(summary.registries, "registry", "registries"),
      counted(t.repositories, "repository", "repositories"), counted(t.images, "image", "images"),
      thousands(t.expiring), format_bytes(t.bytes_expiring), thousands(t.transitioning),
      thousands(t.kept), t.monthly_savings);
  const std::size_t skipped = summary.skipped_repositories + summary.skipped_registries;
  if (skipped != 0) {
    out += "Not planned: " + counted(summary.skipped_repositories, "repository", "repositories") +
           " and " + counted(summary.skipped_registries, "registry", "registries") +
           " whose listing failed (--output json names them)\n";
  }
  if (!options.save_plan.empty())
    out += "Saved to " + options.save_plan + ", for `regsweep apply --plan " + options.save_plan +
           "`\n";
  write_stdout(out);
}

void render_text(const MergedPlanSummary& summary) {
  std::string out;
  for (const auto& part : summary.parts) {
    const PlanTotals& t = part.totals;
    out += text_record(
        {"PLAN", part.name, part.shard ? std::to_string(part.shard->index) : "",
         part.shard ? std::to_string(part.shard->count) : "", std::to_string(part.registries),
         std::to_string(t.repositories), std::to_string(t.images), std::to_string(t.expiring),
         std::to_string(t.transitioning), std::to_string(t.kept), std::to_string(t.bytes_total),
         std::to_string(t.bytes_expiring), std::to_string(t.bytes_transitioning),
         fmt::format("{:.2f}", t.monthly_savings)});
  }
  out += totals_record(summary.totals);
  write_stdout(out);
}

// The merged document to `path` (FILE.tmp, fsync'd, renamed) and, with `also_stdout`, to stdout.
Result<MergedPlanSummary> merge_to_file(const PlanMergeOptions& options, bool also_stdout) {
  const std::string& path = options.save_plan;
  const std::string temporary = path + ".tmp";
  std::FILE* out = std::fopen(temporary.c_str(), "wb");
  if (out == nullptr)
    return make_error(ErrorCode::invalid_input, "--save-plan " + path + ": cannot write " +
                                                    temporary + ": " + std::strerror(errno) +
                                                    "; fix: name a file in a writable folder");
  bool failed = false;
  auto merged = merge_plan_files(options.files, [&](std::string_view chunk) {
    if (!failed && std::fwrite(chunk.data(), 1, chunk.size(), out) != chunk.size()) failed = true;
    if (also_stdout) write_stdout(chunk);
  });
  if (std::fflush(out) != 0 || ::fsync(::fileno(out)) != 0) failed = true;
  if (std::fclose(out) != 0) failed = true;
  if (!merged || failed || std::rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    std::remove(temporary.c_str());
    if (!merged) return merged;
    return make_error(ErrorCode::internal, "--save-plan " + path + ": writing the plan failed: " +
                                               why + "; fix: check the disk space and permissions");
  }
  return merged;
}

int run_plan_merge(const PlanMergeOptions& options) {
  auto format = resolve_output(options.output);
  if (!format.ok()) return report_error("plan merge", format.error());
  const bool json = *format == OutputFormat::json;
  auto merged = options.save_plan.empty() ? merge_plan_files(options.files,
                                                             [json](std::string_view chunk) {
                                                               if (json) write_stdout(chunk);
                                                             })
                                          : merge_to_file(options, json);
  if (!merged) return report_error("plan merge", merged.error());
  if (*format == OutputFormat::table) render_table(*merged, options);
  if (*format == OutputFormat::text) render_text(*merged);
  std::fflush(stdout);
  return k_exit_ok;
}

}  // namespace

void setup_plan_merge(CLI::App& sub, RunFunction& run) {
  auto options = std::make_shared<PlanMergeOptions>();
  sub.add_option("files", options->files, "The shards' plan documents (plan --save-plan FILE)")
      ->required();
  sub.add_option("--save-plan", options->save_plan,
                 "Write the merged plan as JSON to this file, for `apply --plan FILE`");
  add_output_option(sub, options->output);
  add_max_rows_option(sub, options->max_rows, "plans");
  sub.callback([&run, options] { run = [options] { return run_plan_merge(*options); }; });
}

}  // namespace regsweep::cli
