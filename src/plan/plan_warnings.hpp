// What a plan's reader must be told beside the verdicts, as sentences: children a snapshot without
// manifests leaves unprotected (with the fix), and archived images deleted within ECR's 90-day
// minimum (with the charge). Printed on stderr by plan/apply and written as "warnings" in the plan
// JSON. Pure.
#pragma once

#include <string>
#include <vector>

#include "plan/plan.hpp"

namespace regsweep {

std::vector<std::string> plan_warnings(const PlanTotals& totals);

}  // namespace regsweep
