// The report of a policy fleet operation (put, diff, delete; and `run` targets in install mode):
// per repository "create", "update" with the rule diff, or "unchanged", then a summary. JSON:
// {"results": [...], "listingErrors", "appearedDuringRun", "summary": {created, updated,
// unchanged, failed, written}}.
#pragma once

#include "app/policy_fleet.hpp"

namespace regsweep::cli {

// `deleting`: the report of `policy delete` (words "delete"/"none"); `wrote`: changes were written.
void print_policy_fleet_report(const FleetReport& report, bool json, bool deleting, bool wrote);

}  // namespace regsweep::cli
