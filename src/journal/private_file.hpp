// Opening regsweep's own files (the journal, lock files) so that nothing but our own file is ever
// written or truncated, whatever the path points at:
//   - O_NOFOLLOW: a symlink as the last component is refused (it can be pointed at any file, e.g.
//     `journal.jsonl -> ~/.bashrc`); links earlier in the path are followed as usual;
//   - O_NONBLOCK while opening, so a FIFO cannot block the open;
//   - then, before any byte is written: fstat() the descriptor (not the path, which can change)
//     and refuse anything but a regular file owned by `owner` with one link (a second name could
//     be someone else's file: a hard link made where protected_hardlinks is off);
//   - the mode is tightened to 0600 when it is anything else (a journal holds what was deleted).
#pragma once

#include <sys/types.h>

#include <string>

#include "util/result.hpp"

namespace regsweep {

// `flags` are open() flags (O_RDWR, O_APPEND, O_CREAT, ...); O_NOFOLLOW, O_CLOEXEC and O_NOCTTY
// are added. `label` starts every message ("journal /x/journal.jsonl"). Refusals are
// invalid_input, each with its fix; failures of the system calls are internal. The descriptor
// returned is the caller's to close.
Result<int> open_private_file(const std::string& label, const std::string& path, int flags,
                              uid_t owner);

}  // namespace regsweep
