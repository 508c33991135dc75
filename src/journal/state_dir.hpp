// Where regsweep keeps state between runs (the journal, repository locks), per the XDG base
// directory spec: $XDG_STATE_HOME/regsweep when XDG_STATE_HOME is set to an absolute path, else
// $HOME/.local/state/regsweep. Environment access is passed in, so tests need no real environment.
#pragma once

#include <sys/types.h>

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

// Whose files regsweep writes: the effective user. The functions below take it as a parameter so
// that tests can see a refusal for "someone else's" file without running as root.
uid_t effective_uid();

// Checks that `path` can safely hold regsweep's files (the journal, locks): a real directory (not a
// symlink: one can point anywhere), owned by `owner` or by root, and not writable by every user
// unless sticky like /tmp (else anyone could rename, remove or replace the files in it).
// invalid_input naming the directory, the problem and the fix. Existing modes are not changed.
Status check_private_directory(const std::string& path, uid_t owner = effective_uid());

// mkdir -p with mode 0700 for every directory created (existing ones keep their mode); then
// check_private_directory(path). Components before the last may be symlinks (/home -> /data/home):
// only the directory that holds the files is checked.
Status create_private_directories(const std::string& path, uid_t owner = effective_uid());

}  // namespace regsweep
