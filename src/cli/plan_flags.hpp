// The flags `plan`, `apply` and `policy preview` share — when (--now), which repositories
// (--repository-name), prices, how many at once (--concurrency), how to show (--output,
// --max-rows, --quiet) and the protections — declared once, so their names, help and checks
// cannot drift apart, and turned into PlanOptions in one place.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "app/concurrency.hpp"
#include "app/plan_registries.hpp"
#include "cli/output.hpp"
#include "cli/protection_options.hpp"
#include "util/clock.hpp"
#include "util/result.hpp"

namespace CLI {
class App;
}

namespace regsweep::cli {

struct PlanFlags {
  std::string now;  // empty: the clock
  std::vector<std::string> repository_globs;
  std::string output;  // --output: table | json | text; empty: REGSWEEP_OUTPUT, else table
  double price_per_gb_month = 0.10;
  double archive_price_per_gb_month = -1.0;  // < 0: the standard price
  std::size_t max_rows = 0;
  int concurrency = k_default_concurrency;
  bool quiet = false;
  ProtectionFlags protection;
};

enum class PlanCommand { plan, apply, preview };

// Adds the shared flags to `sub`; `command` picks the few that differ (preview has no archive
// price: it plans with each repository's own policy and prices archive like standard).
void add_plan_flags(CLI::App& sub, PlanFlags& flags, PlanCommand command);

// The plan request the flags describe: now (--now or the clock), prices, repository globs,
// concurrency and the protections, whose in-use data `protections` holds (for the report of
// references that matched nothing).
struct PlanSetup {
  OutputFormat output = OutputFormat::table;  // --output, else REGSWEEP_OUTPUT, else table
  PlanRequest request;
  std::shared_ptr<LoadedProtections> protections;
};
Result<PlanSetup> plan_setup(const PlanFlags& flags, Clock& clock);

// --archive-price-per-gb-month, or the standard price when not given (ECR's list price for the
// first 150 TB of archive storage is the standard one: docs/pricing.md).
inline double archive_price(const PlanFlags& flags) {
  return flags.archive_price_per_gb_month < 0 ? flags.price_per_gb_month
                                              : flags.archive_price_per_gb_month;
}

}  // namespace regsweep::cli
