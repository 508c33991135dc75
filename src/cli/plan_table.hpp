// A Plan as a table for people: per repository, the images that change (expire or transition) with
// the deciding rule and the reason; kept images are only counted. Then the skipped repositories and
// the totals: images, expiring, transitioning, bytes freed and dollars saved per month.
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

#include "plan/plan.hpp"
#include "policy/policy.hpp"

namespace regsweep::cli {

struct PlanTableOptions {
  std::size_t max_rows = 0;  // changed images listed per repository; 0 lists all
  bool totals_only = false;  // --quiet: only the totals (and skipped repositories)
};

void render_plan_table(const Plan& plan, const Policy& policy, const PlanTableOptions& options,
                       const std::function<void(std::string_view)>& sink);

}  // namespace regsweep::cli
