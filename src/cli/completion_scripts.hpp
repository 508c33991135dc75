// Shell completion scripts rendered from the command tree (completion_tree.hpp), for
// `regsweep completion bash|zsh|fish`. Each completes subcommands at every level, the options of
// the command typed so far, the values of choice options, and file names for free-text values and
// positional files. The scripts contain no flag of their own: all comes from the tree.
#pragma once

#include <string>

#include "cli/completion_tree.hpp"

namespace regsweep::cli {

std::string bash_completion_script(const CompletionCommand& root);
std::string zsh_completion_script(const CompletionCommand& root);
std::string fish_completion_script(const CompletionCommand& root);

}  // namespace regsweep::cli
