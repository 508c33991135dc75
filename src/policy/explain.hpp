// Sentences a person understands for a verdict, e.g.
//   "expire: rule 2 keeps the 5 newest images tagged prod*; this is the 8th"
#pragma once

#include <string>

#include "policy/evaluate.hpp"

namespace regsweep {

std::string explain(const Verdict& verdict, const Policy& policy, EpochMillis now);

// "images tagged prod*", "untagged images", "all images", "archived images".
std::string describe_selection(const Rule& rule);

}  // namespace regsweep
