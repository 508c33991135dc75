// Saved in-use sets (`regsweep inuse scan --output-file FILE`; format in docs/inuse.md), so sets
// scanned in several accounts, regions and clusters can be merged and handed to `plan`/`apply`
// later:
//   {"regsweepInUse": 1, "createdAt": "<ISO 8601>", "sources": ["..."],
//    "references": [{"image": "<raw>", "kind": "image|tag|digest", "source": "..."}],
//    "problems": [{"source": "...", "message": "..."}]}
// Reading is strict: an unknown version, a missing field or an entry that does not parse as its
// kind is invalid_input (a set we cannot read completely protects nothing for sure).
#pragma once

#include <string>
#include <string_view>

#include "inuse/in_use.hpp"
#include "util/time.hpp"

namespace regsweep {

std::string to_in_use_json(const InUseSet& set, EpochMillis created_at);

// `name` labels errors ("inuse-prod.json: references[3].image: ...").
Result<InUseSet> parse_in_use_json(std::string_view text, const std::string& name);

}  // namespace regsweep
