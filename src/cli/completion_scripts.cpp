#include "cli/completion_scripts.hpp"

#include <string_view>

namespace regsweep::cli {
namespace {

std::string join(const std::vector<std::string>& words, std::string_view separator = " ") {
  std::string out;
  for (const auto& word : words) {
    if (!out.empty()) out += separator;
    out += word;
  }
  return out;
}

// 'text' for sh, bash and zsh: a quote inside ends the string, adds \' and opens a new one.
std::string shell_quote(std::string_view text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// 'text' for fish, where \\ and \' are the escapes inside single quotes.
std::string fish_quote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string path_key(const CompletionCommand& command) {
  return join(command.path);
}

// bash: what follows an option, as _regsweep_value prints it.
std::string bash_value(const CompletionOption& option) {
  switch (option.value) {
    case CompletionValue::file:
      return "file";
    case CompletionValue::choice:
      return "choice " + join(option.choices);
    case CompletionValue::other:
      return "none";
    case CompletionValue::nothing:
      break;
  }
  return "";
}

constexpr std::string_view k_bash_main = R"bash(
_regsweep_words() { mapfile -t COMPREPLY < <(compgen -W "$1" -- "$2"); }
_regsweep_files() {
  compopt -o filenames 2>/dev/null
  mapfile -t COMPREPLY < <(compgen -f -- "$1")
}
# Completes $2 as a value of kind $1 (as _regsweep_value prints it); none offers nothing.
_regsweep_complete_value() {
  case $1 in
    file) _regsweep_files "$2" ;;
    choice\ *) _regsweep_words "${1#choice }" "$2" ;;
  esac
}

_regsweep() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
  local path='' word option='' kind i
  COMPREPLY=()
  # The command path: the subcommand words before the cursor; options and their values skipped.
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    if [[ $word == -* ]]; then
      if [[ ${COMP_WORDS[i + 1]} == = ]]; then
        ((i += 2)) # --option=value: bash splits the word at '='
      elif [[ -n $(_regsweep_value "$path" "$word") ]]; then
        ((i += 1)) # --option value
      fi
    elif [[ " $(_regsweep_commands "$path") " == *" $word "* ]]; then
      path=${path:+$path }$word
    fi
  done
  # The option whose value is at the cursor, if any.
  if [[ $cur == = && $prev == -* ]]; then
    option=$prev cur=''
  elif [[ $prev == = ]]; then
    option=${COMP_WORDS[COMP_CWORD - 2]}
  elif [[ $prev == -* ]]; then
    option=$prev
  fi
  if [[ -n $option ]]; then
    kind=$(_regsweep_value "$path" "$option")
    if [[ -n $kind ]]; then
      _regsweep_complete_value "$kind" "$cur"
      return
    fi
  fi
  if [[ $cur == -* ]]; then
    _regsweep_words "$(_regsweep_options "$path")" "$cur"
  elif [[ -n $(_regsweep_commands "$path") ]]; then
    _regsweep_words "$(_regsweep_commands "$path")" "$cur"
  else
    _regsweep_complete_value "$(_regsweep_positionals "$path")" "$cur"
  fi
}

complete -F _regsweep regsweep
)bash";

// zsh: one _arguments spec per option name, e.g. '(-o --out)-o+[Write to FILE]:file:_files'.
std::string zsh_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '[' || c == ']' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// The ":message:action" part of an _arguments spec; empty for a flag.
std::string zsh_action(const CompletionOption& option) {
  switch (option.value) {
    case CompletionValue::file:
      return ":file:_files";
    case CompletionValue::choice:
      return ":value:(" + join(option.choices) + ")";
    case CompletionValue::other:
      return ":value: ";
    case CompletionValue::nothing:
      break;
  }
  return "";
}

std::string zsh_option_specs(const CompletionOption& option) {
  std::string exclusion;
  if (option.repeatable) {
    exclusion = "*";
  } else if (option.names.size() > 1) {
    exclusion = "(" + join(option.names) + ")";
  }
  const std::string action = zsh_action(option);
  std::string out;
  for (const auto& name : option.names) {
    std::string form = name;
    if (option.value != CompletionValue::nothing) form += name.starts_with("--") ? "=" : "+";
    out += " \\\n    " +
           shell_quote(exclusion + form + "[" + zsh_escape(option.description) + "]" + action);
  }
  return out;
}

std::string zsh_function_name(const CompletionCommand& command) {
  std::string out = "_regsweep";
  for (const auto& part : command.path) {
    out += '_';
    for (char c : part) out += c == '-' ? '_' : c;
  }
  return out;
}

std::string zsh_function(const CompletionCommand& command) {
  std::string specs;
  for (const auto& option : command.options) specs += zsh_option_specs(option);
  std::string out = zsh_function_name(command) + "() {\n";
  if (command.subcommands.empty()) {
    if (command.positionals.value != CompletionValue::nothing) {
      specs += " \\\n    " + shell_quote((command.positionals.repeatable ? "*:" : "1:") +
                                         zsh_action(command.positionals).substr(1));
    }
    return out + "  _arguments -s -S" + specs + "\n}\n\n";
  }
  out += "  local curcontext=$curcontext state line\n  _arguments -C -s -S" + specs +
         " \\\n    '1: :->command' \\\n    '*:: :->argument' && return\n";
  out += "  case $state in\n    (command)\n      local -a commands=(\n";
  for (const auto& sub : command.subcommands) {
    out += "        " + shell_quote(sub.name() + ":" + sub.description) + "\n";
  }
  out += "      )\n      _describe -t commands " +
         shell_quote(join(command.path) + (command.path.empty() ? "command" : " command")) +
         " commands ;;\n    (argument)\n      case $words[1] in\n";
  for (const auto& sub : command.subcommands) {
    out += "        (" + sub.name() + ") " + zsh_function_name(sub) + " ;;\n";
  }
  return out + "      esac ;;\n  esac\n}\n\n";
}

}  // namespace

std::string bash_completion_script(const CompletionCommand& root) {
  std::string commands, options, values, positionals;
  for (const auto* command : flatten(root)) {
    const std::string key = path_key(*command);
    std::vector<std::string> names;
    for (const auto& sub : command->subcommands) names.push_back(sub.name());
    if (!names.empty())
      commands += "    " + shell_quote(key) + ") echo " + shell_quote(join(names)) + " ;;\n";
    names.clear();
    for (const auto& option : command->options) {
      names.insert(names.end(), option.names.begin(), option.names.end());
      if (option.value == CompletionValue::nothing) continue;
      std::vector<std::string> patterns;
      for (const auto& name : option.names) patterns.push_back(shell_quote(key + " " + name));
      values +=
          "    " + join(patterns, "|") + ") echo " + shell_quote(bash_value(option)) + " ;;\n";
    }
    if (!names.empty())
      options += "    " + shell_quote(key) + ") echo " + shell_quote(join(names)) + " ;;\n";
    if (command->positionals.value != CompletionValue::nothing) {
      positionals += "    " + shell_quote(key) + ") echo " +
                     shell_quote(bash_value(command->positionals)) + " ;;\n";
    }
  }
  return "# bash completion for regsweep                                   -*- shell-script -*-\n"
         "# Generated by `regsweep completion bash` from regsweep's own command tree. Install as\n"
         "# /usr/share/bash-completion/completions/regsweep, or: source <(regsweep completion "
         "bash)\n"
         "\n# The subcommands of the command path $1 ('' is regsweep itself).\n"
         "_regsweep_commands() {\n  case $1 in\n" +
         commands +
         "  esac\n}\n"
         "\n# The options of the command path $1.\n"
         "_regsweep_options() {\n  case $1 in\n" +
         options +
         "  esac\n}\n"
         "\n# What follows option $2 of the command path $1: file, none (a number: nothing to\n"
         "# offer), choice WORD..., or nothing for a flag.\n"
         "_regsweep_value() {\n  case \"$1 $2\" in\n" +
         values +
         "  esac\n}\n"
         "\n# What the positional arguments of the command path $1 are: file, or nothing.\n"
         "_regsweep_positionals() {\n  case $1 in\n" +
         positionals + "  esac\n}\n" + std::string(k_bash_main);
}

std::string zsh_completion_script(const CompletionCommand& root) {
  std::string out =
      "#compdef regsweep\n"
      "# zsh completion for regsweep. Generated by `regsweep completion zsh` from regsweep's own\n"
      "# command tree. Install as _regsweep in a directory of $fpath (Debian:\n"
      "# /usr/share/zsh/vendor-completions), or: source <(regsweep completion zsh)\n\n";
  for (const auto* command : flatten(root)) out += zsh_function(*command);
  // Autoloaded from $fpath, this file is the body of _regsweep: run it. Sourced: register it.
  return out +
         "if [[ $funcstack[1] == _regsweep ]]; then\n  _regsweep \"$@\"\nelse\n"
         "  compdef _regsweep regsweep\nfi\n";
}

std::string fish_completion_script(const CompletionCommand& root) {
  std::string commands, values, completions;
  for (const auto* command : flatten(root)) {
    const std::string key = path_key(*command);
    const std::string condition = "-n " + fish_quote("__regsweep_at " + fish_quote(key));
    std::vector<std::string> names;
    for (const auto& sub : command->subcommands) {
      names.push_back(sub.name());
      completions += "complete -c regsweep " + condition + " -a " + fish_quote(sub.name()) +
                     " -d " + fish_quote(sub.description) + "\n";
    }
    if (!names.empty()) {
      commands +=
          "        case " + fish_quote(key) + "\n            printf '%s\\n' " + join(names) + "\n";
    }
    for (const auto& option : command->options) {
      std::string line = "complete -c regsweep " + condition;
      for (const auto& name : option.names) {
        line += name.starts_with("--") ? " -l " + name.substr(2) : " -s " + name.substr(1);
        if (option.value != CompletionValue::nothing) values += " " + fish_quote(key + " " + name);
      }
      switch (option.value) {
        case CompletionValue::file:
          line += " -r -F";
          break;
        case CompletionValue::choice:
          line += " -x -a " + fish_quote(join(option.choices));
          break;
        case CompletionValue::other:
          line += " -x";
          break;
        case CompletionValue::nothing:
          break;
      }
      completions += line + " -d " + fish_quote(option.description) + "\n";
    }
    if (command->positionals.value == CompletionValue::file) {
      completions += "complete -c regsweep " + condition + " -F\n";
    } else if (command->positionals.value == CompletionValue::choice) {
      completions += "complete -c regsweep " + condition + " -a " +
                     fish_quote(join(command->positionals.choices)) + "\n";
    }
  }
  return "# fish completion for regsweep. Generated by `regsweep completion fish` from regsweep's "
         "own\n"
         "# command tree. Install as regsweep.fish in a vendor_completions.d directory, or:\n"
         "# regsweep completion fish | source\n\n"
         "# The subcommands of the command path $argv ('' is regsweep itself).\n"
         "function __regsweep_commands\n    switch \"$argv\"\n" +
         commands +
         "    end\nend\n\n"
         "# The command path typed so far: its subcommand words, options and their values "
         "skipped.\n"
         "function __regsweep_path\n"
         "    set -l path ''\n"
         "    set -l skip 0\n"
         "    set -l words (commandline -opc)\n"
         "    set -e words[1]\n"
         "    for word in $words\n"
         "        if test $skip = 1\n"
         "            set skip 0\n"
         "        else if string match -q -- '-*=*' $word\n"
         "            continue\n"
         "        else if string match -q -- '-*' $word\n"
         "            contains -- \"$path $word\" $__regsweep_valued; and set skip 1\n"
         "        else if contains -- $word (__regsweep_commands $path)\n"
         "            set path (string trim -- \"$path $word\")\n"
         "        end\n"
         "    end\n"
         "    echo $path\n"
         "end\n\n"
         "function __regsweep_at\n"
         "    set -l path (__regsweep_path)\n"
         "    test \"$path\" = \"$argv[1]\"\n"
         "end\n\n"
         "# The options that take a value, as 'COMMAND-PATH OPTION'.\n"
         "set -g __regsweep_valued" +
         values +
         "\n\n"
         "complete -c regsweep -f\n" +
         completions;
}

}  // namespace regsweep::cli
