// The command tree as shell completion needs it: every subcommand with its options, what each
// option's value is, and whether the command takes positional files. Built from the CLI11 App
// itself, so the completion scripts (completion_scripts.cpp) cannot drift from the flags.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace regsweep::cli {

// What follows an option (or what a command's positional arguments are).
enum class CompletionValue {
  nothing,  // a flag: takes no value (or: the command takes no positional arguments)
  file,     // free text (TEXT, FILE, PATH, DIR): completed with file names, as shells do by default
  choice,   // one of a fixed set (an IsMember check): completed with those words
  other,    // a number, a duration in seconds ...: nothing sensible to offer
};

struct CompletionOption {
  std::vector<std::string> names;  // with dashes: "-q", "--quiet"
  std::string description;
  CompletionValue value = CompletionValue::nothing;
  std::vector<std::string> choices;  // value == choice
  bool repeatable = false;
};

struct CompletionCommand {
  std::vector<std::string> path;  // {} for regsweep itself, {"policy", "put"}
  std::string description;
  std::vector<CompletionOption> options;  // hidden ones (empty group) left out
  CompletionOption positionals;           // no names; value nothing: takes no positional arguments
  std::vector<CompletionCommand> subcommands;

  std::string name() const { return path.empty() ? "" : path.back(); }
};

// The group of options a command offers to all its subcommands too (`regsweep plan ... -v`: CLI11
// hands a subcommand's unknown flags to its parent); app.cpp puts -v and --debug in it.
inline constexpr const char* k_global_options = "Global options";

// The tree under `app`; option groups (nameless subcommands) are folded into their command, and
// the options in k_global_options are offered by every command below the one that declares them.
CompletionCommand completion_tree(const CLI::App& app);

// The commands of the tree, depth first, the root first.
std::vector<const CompletionCommand*> flatten(const CompletionCommand& root);

}  // namespace regsweep::cli
