// regsweep policy validate FILE...: parses each file as ECR would (src/policy/parse.hpp) and prints
// every problem of every file to stderr ("file:line:col: path: problem; fix"). Exit 0 when all are
// valid, 2 otherwise. Valid files are confirmed on stdout unless --quiet.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "policy/parse.hpp"
#include "util/input_file.hpp"
#include "util/size.hpp"

namespace regsweep::cli {
namespace {

struct PolicyValidateOptions {
  std::vector<std::string> files;
  bool quiet = false;
  std::string output;  // --output; empty: REGSWEEP_OUTPUT, else table
};

std::vector<std::string> lines_of(const std::string& message) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= message.size()) {
    const auto end = message.find('\n', start);
    std::string line = message.substr(start, end == std::string::npos ? end : end - start);
    if (!line.empty()) lines.push_back(std::move(line));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return lines;
}

int run_policy_validate(const PolicyValidateOptions& options) {
  auto format = resolve_output(options.output);
  if (!format.ok()) return report_error("policy validate", format.error());
  bool all_valid = true;
  nlohmann::json files = nlohmann::json::array();
  std::string text;
  for (const auto& path : options.files) {
    const std::string name = path == "-" ? "<stdin>" : path;
    auto read = read_input_file("policy file", path, k_policy_max_bytes);
    auto policy = read.ok() ? parse_policy(*read, name) : Result<Policy>(read.error());
    const std::size_t rules = policy.ok() ? policy->rules.size() : 0;
    const std::vector<std::string> problems =
        policy.ok() ? std::vector<std::string>{} : lines_of(policy.error().message);
    all_valid = all_valid && policy.ok();
    // Problems go to stderr in every format (the documents carry them too).
    for (const auto& problem : problems) std::cerr << problem << '\n';
    if (*format == OutputFormat::json) {
      files.push_back(
          {{"file", name}, {"valid", policy.ok()}, {"rules", rules}, {"problems", problems}});
    } else if (*format == OutputFormat::text) {
      text += text_record({"FILE", name, policy.ok() ? "valid" : "invalid", std::to_string(rules)});
      for (const auto& problem : problems) text += text_record({"PROBLEM", name, problem});
    } else if (policy.ok() && !options.quiet) {
      text += name + ": valid (" + counted(rules, "rule", "rules") + ")\n";
    }
  }
  if (*format == OutputFormat::json) {
    const nlohmann::json document = {{"schemaVersion", 1}, {"files", files}};
    text = document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  }
  write_stdout(text);
  return all_valid ? k_exit_ok : k_exit_usage;
}

}  // namespace

void setup_policy_validate(CLI::App& sub, RunFunction& run) {
  auto options = std::make_shared<PolicyValidateOptions>();
  sub.add_option("files", options->files,
                 "Policy files ('-' for stdin); the get-lifecycle-policy wrapper works too")
      ->required();
  sub.add_flag("--quiet,-q", options->quiet, "Table: print nothing for valid files");
  add_output_option(sub, options->output);
  sub.callback([&run, options] { run = [options] { return run_policy_validate(*options); }; });
}

}  // namespace regsweep::cli
