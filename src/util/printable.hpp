// Text from outside (repository names and tags from a snapshot, reasons quoting a Kubernetes
// object) shown on a terminal: control characters are written as escapes, so a name cannot move
// the cursor, change colours or forge lines of a table.
#pragma once

#include <string>
#include <string_view>

namespace regsweep {

// C0 controls (newline and tab included), DEL and the C1 controls U+0080-U+009F become "\xNN" or
// "\u0085"; everything else is kept as it is.
std::string printable(std::string_view text);

}  // namespace regsweep
