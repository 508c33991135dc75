// Where regsweep keeps state between runs (the journal, repository locks), per the XDG base
// directory spec: $XDG_STATE_HOME/regsweep when XDG_STATE_HOME is set to an absolute path, else
// $HOME/.local/state/regsweep. Environment access is passed in, so tests need no real environment.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace regsweep {

using GetEnv = std::function<std::optional<std::string>(std::string_view name)>;

// The process environment.
GetEnv process_env();

// invalid_input when neither XDG_STATE_HOME (absolute) nor HOME is set.
Result<std::string> default_state_directory(const GetEnv& env);
// <state directory>/journal.jsonl
Result<std::string> default_journal_path(const GetEnv& env);

// mkdir -p with mode 0700 for every directory created (existing ones are left as they are).
Status create_private_directories(const std::string& path);

}  // namespace regsweep
