// regsweep policy validate FILE...: parses each file as ECR would (src/policy/parse.hpp) and prints
// every problem of every file to stderr ("file:line:col: path: problem; fix"). Exit 0 when all are
// valid, 2 otherwise. Valid files are confirmed on stdout unless --quiet.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "policy/parse.hpp"
#include "util/input_file.hpp"

namespace regsweep::cli {
namespace {

struct PolicyValidateOptions {
  std::vector<std::string> files;
  bool quiet = false;
};

int run_policy_validate(const PolicyValidateOptions& options) {
  bool all_valid = true;
  for (const auto& path : options.files) {
    const std::string name = path == "-" ? "<stdin>" : path;
    auto text = read_input_file("policy file", path, k_policy_max_bytes);
    if (!text.ok()) {
      std::cerr << text.error().message << '\n';
      all_valid = false;
      continue;
    }
    auto policy = parse_policy(*text, name);
    if (!policy.ok()) {
      std::cerr << policy.error().message << '\n';
      all_valid = false;
      continue;
    }
    if (!options.quiet) {
      const auto rules = policy->rules.size();
      std::cout << name << ": valid (" << rules << (rules == 1 ? " rule" : " rules") << ")\n";
    }
  }
  return all_valid ? k_exit_ok : k_exit_usage;
}

}  // namespace

void setup_policy_validate(CLI::App& sub, RunFunction& run) {
  auto options = std::make_shared<PolicyValidateOptions>();
  sub.add_option("files", options->files,
                 "Policy files ('-' for stdin); the get-lifecycle-policy wrapper works too")
      ->required();
  sub.add_flag("--quiet,-q", options->quiet, "Print nothing for valid files");
  sub.callback([&run, options] { run = [options] { return run_policy_validate(*options); }; });
}

}  // namespace regsweep::cli
