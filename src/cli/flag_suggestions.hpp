// "unknown flag --polcy; did you mean --policy?": when parsing fails, the command line is walked
// the way the parser walks it (subcommands, flags, option values) and the first flag that no
// command on the path knows is named, with the nearest known flag of that command (by edit
// distance), instead of a confusing later error ("--policy is required"). Unknown subcommands
// get the same treatment.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace CLI {
class App;
}

namespace regsweep::cli {

// Levenshtein distance (insert, delete, substitute: 1 each; an adjacent swap: 1).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The message for the first unknown flag or subcommand of argv[1..argc), or nullopt when every
// flag is known (the parse failed for another reason).
std::optional<std::string> unknown_flag_message(CLI::App& app, int argc, const char* const* argv);

}  // namespace regsweep::cli
