#include "cli/completion_tree.hpp"

#include <CLI/CLI.hpp>

namespace regsweep::cli {
namespace {

// CLI11's type name is the value's type, then each check's description after ':':
// "TEXT", "INT:NUMBER in [1 - 64]", "TEXT:{table,json}" (an IsMember check).
CompletionValue classify_value(const CLI::Option& option, std::vector<std::string>& choices) {
  if (option.get_items_expected_max() == 0) return CompletionValue::nothing;
  const std::string type = option.get_type_name();
  const auto open = type.find('{');
  const auto close = type.find('}', open);
  if (open != std::string::npos && close != std::string::npos) {
    std::string word;
    for (char c : type.substr(open + 1, close - open - 1)) {
      if (c == ',') {
        choices.push_back(word);
        word.clear();
      } else {
        word += c;
      }
    }
    choices.push_back(word);
    return CompletionValue::choice;
  }
  const std::string base = type.substr(0, type.find(':'));
  if (base == "TEXT" || base == "FILE" || base == "PATH" || base == "DIR")
    return CompletionValue::file;
  return CompletionValue::other;
}

CompletionOption entry_of(const CLI::Option& option) {
  CompletionOption entry;
  entry.value = classify_value(option, entry.choices);
  entry.description = option.get_description();
  entry.repeatable = option.get_expected_max() > 1;
  for (const auto& name : option.get_snames()) entry.names.push_back("-" + name);
  for (const auto& name : option.get_lnames()) entry.names.push_back("--" + name);
  return entry;
}

void add_options(const CLI::App& app, CompletionCommand& command) {
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_group().empty()) continue;  // hidden
    if (!option->nonpositional()) {
      command.positionals = entry_of(*option);
      continue;
    }
    command.options.push_back(entry_of(*option));
  }
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->get_name().empty()) add_options(*sub, command);  // an option group
  }
}

bool has_name(const CompletionCommand& command, const std::string& name) {
  for (const auto& option : command.options)
    for (const auto& n : option.names)
      if (n == name) return true;
  return false;
}

// `inherited`: the global options of the commands above, offered here too unless a name is
// taken by an option of this command.
CompletionCommand build(const CLI::App& app, std::vector<std::string> path,
                        std::vector<CompletionOption> inherited) {
  CompletionCommand command;
  command.path = std::move(path);
  command.description = app.get_description();
  add_options(app, command);
  for (const auto& option : inherited) {
    bool taken = false;
    for (const auto& name : option.names) taken = taken || has_name(command, name);
    if (!taken) command.options.push_back(option);
  }
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_group() == k_global_options) inherited.push_back(entry_of(*option));
  }
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->get_name().empty() || sub->get_group().empty()) continue;  // groups, hidden
    auto child_path = command.path;
    child_path.push_back(sub->get_name());
    command.subcommands.push_back(build(*sub, std::move(child_path), inherited));
  }
  return command;
}

void collect(const CompletionCommand& command, std::vector<const CompletionCommand*>& out) {
  out.push_back(&command);
  for (const auto& sub : command.subcommands) collect(sub, out);
}

}  // namespace

CompletionCommand completion_tree(const CLI::App& app) {
  return build(app, {}, {});
}

std::vector<const CompletionCommand*> flatten(const CompletionCommand& root) {
  std::vector<const CompletionCommand*> out;
  collect(root, out);
  return out;
}

}  // namespace regsweep::cli
