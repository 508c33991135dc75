// regsweep completion bash|zsh|fish: prints a completion script for that shell, generated from
// this binary's own command tree (every subcommand, option and choice), so it always matches the
// flags of the regsweep that prints it. The package installs the three scripts; by hand:
//   source <(regsweep completion bash)      # ~/.bashrc
//   source <(regsweep completion zsh)       # ~/.zshrc, after compinit
//   regsweep completion fish | source       # ~/.config/fish/config.fish
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/completion_scripts.hpp"

namespace regsweep::cli {
namespace {

int run_completion(const CLI::App& root, const std::string& shell) {
  const CompletionCommand tree = completion_tree(root);
  if (shell == "bash") std::cout << bash_completion_script(tree);
  if (shell == "zsh") std::cout << zsh_completion_script(tree);
  if (shell == "fish") std::cout << fish_completion_script(tree);
  std::cout.flush();
  return std::cout ? k_exit_ok : k_exit_failed;
}

}  // namespace

void setup_completion(CLI::App& sub, RunFunction& run) {
  auto shell = std::make_shared<std::string>();
  sub.add_option("shell", *shell, "The shell to complete for: bash, zsh or fish")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh", "fish"}));
  // The root lives in run_main for the whole run; the tree is complete once parsing is done.
  sub.callback([&sub, &run, shell] {
    const CLI::App* root = &sub;
    while (root->get_parent() != nullptr) root = root->get_parent();
    run = [root, shell] { return run_completion(*root, *shell); };
  });
}

}  // namespace regsweep::cli
