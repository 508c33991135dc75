#include "cli/flag_suggestions.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <vector>

namespace regsweep::cli {
namespace {

const CLI::Option* find_option(CLI::App* app, const std::string& name) {
  for (CLI::App* at = app; at != nullptr; at = at->get_parent()) {
    if (const CLI::Option* option = at->get_option_no_throw(name)) return option;
  }
  return nullptr;
}

CLI::App* find_subcommand(CLI::App* app, const std::string& name) {
  for (CLI::App* sub : app->get_subcommands([](CLI::App*) { return true; })) {
    if (sub->check_name(name)) return sub;
  }
  return nullptr;
}

// "-1", "-0.5", "-.5": a negative number given as a value, never a flag.
bool looks_like_number(const std::string& arg) {
  return arg.size() > 1 && arg[0] == '-' &&
         (std::isdigit(static_cast<unsigned char>(arg[1])) != 0 ||
          (arg[1] == '.' && arg.size() > 2));
}

std::string command_path(CLI::App* app) {
  std::vector<std::string> names;
  for (CLI::App* at = app; at != nullptr; at = at->get_parent()) {
    if (at->get_parent() != nullptr) names.push_back(at->get_name());
  }
  std::string path = "regsweep";
  for (auto it = names.rbegin(); it != names.rend(); ++it) path += " " + *it;
  return path;
}

// The nearest of `candidates` to `typed`, when near enough to be a typo: an edit distance of at
// most a third of the name (at least 1, at most 3), or `typed` a prefix of exactly one of them.
std::optional<std::string> nearest(const std::string& typed,
                                   const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_distance = std::string::npos;
  std::vector<std::string> prefixed;
  for (const auto& candidate : candidates) {
    if (typed.size() >= 3 && candidate.starts_with(typed)) prefixed.push_back(candidate);
    const std::size_t d = edit_distance(typed, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  const std::size_t limit = std::clamp<std::size_t>(typed.size() / 3, 1, 3);
  if (best && best_distance <= limit) return best;
  if (prefixed.size() == 1) return prefixed.front();
  return std::nullopt;
}

std::string unknown_flag(CLI::App* app, const std::string& flag) {
  const std::string command = command_path(app);
  // -o meant three things before issue 15 (save plan, output file, out); it is gone rather than
  // ambiguous.
  if (flag == "-o") {
    return "unknown flag -o in `" + command +
           "`: -o is not a flag of regsweep; fix: --save-plan FILE (plan, plan merge), "
           "--output-file FILE (snapshot, inuse scan, policy get) or --output table|json|text";
  }
  std::vector<std::string> names;
  for (CLI::App* at = app; at != nullptr; at = at->get_parent()) {
    for (const CLI::Option* option : at->get_options()) {
      for (const auto& name : option->get_lnames()) names.push_back("--" + name);
      for (const auto& name : option->get_snames()) names.push_back("-" + name);
    }
  }
  std::string message = "unknown flag " + flag + " in `" + command + "`";
  if (const auto guess = nearest(flag, names)) return message + "; did you mean " + *guess + "?";
  return message + "; see `" + command + " --help`";
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment distance: Levenshtein plus adjacent transpositions.
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

std::optional<std::string> unknown_flag_message(CLI::App& root, int argc, const char* const* argv) {
  CLI::App* app = &root;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") break;
    if (arg.size() > 1 && arg[0] == '-' && !looks_like_number(arg)) {
      const auto equals = arg.find('=');
      const std::string name = arg.substr(0, equals);
      const CLI::Option* option = find_option(app, name);
      if (option == nullptr && name.size() > 2 && name[1] != '-') {
        // Short flags run together (-qy): known when every letter is a known flag.
        bool all = true;
        for (std::size_t k = 1; k < name.size() && all; ++k)
          all = find_option(app, std::string{'-', name[k]}) != nullptr;
        if (all) continue;
      }
      if (option == nullptr) return unknown_flag(app, name);
      // Its value is the next argument (unless given with '=' or the option is a flag), even one
      // that starts with '-' ("--max-delete -1" is a bad value, not an unknown flag) — except for
      // an option whose value is optional (a bare --kubeconfig), which CLI11 never gives a word
      // starting with '-': that word is the next flag, and it is checked.
      const bool optional_value = option->get_items_expected_min() == 0;
      if (equals == std::string::npos && option->get_items_expected_max() > 0 && i + 1 < argc &&
          (argv[i + 1][0] != '-' || looks_like_number(argv[i + 1]) ||
           (!optional_value &&
            find_option(app,
                        std::string(argv[i + 1]).substr(0, std::string(argv[i + 1]).find('='))) ==
                nullptr)))
        ++i;
      continue;
    }
    if (CLI::App* sub = find_subcommand(app, arg)) {
      app = sub;
      continue;
    }
    // A positional argument: a subcommand's name when this command needs one.
    if (app->get_require_subcommand_min() > 0) {
      std::vector<std::string> names;
      for (CLI::App* sub : app->get_subcommands([](CLI::App*) { return true; }))
        names.push_back(sub->get_name());
      std::string message = "unknown command '" + arg + "' in `" + command_path(app) + "`";
      if (const auto guess = nearest(arg, names)) return message + "; did you mean " + *guess + "?";
      return message + "; see `" + command_path(app) + " --help`";
    }
  }
  return std::nullopt;
}

}  // namespace regsweep::cli
