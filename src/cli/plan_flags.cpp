#include "cli/plan_flags.hpp"

#include <CLI/CLI.hpp>

#include "cli/cli_support.hpp"
#include "cli/number_flags.hpp"

namespace regsweep::cli {

void add_plan_flags(CLI::App& sub, PlanFlags& flags, PlanCommand command) {
  add_protection_options(sub, flags.protection);
  sub.add_option("--now", flags.now,
                 "Evaluate as of this time (ISO 8601 or epoch seconds); default: now");
  sub.add_option("--repository-name", flags.repository_globs,
                 "Only repositories matching this glob ('*', '?'); repeatable");
  add_output_option(sub, flags.output);
  sub.add_option("--price-per-gb-month", flags.price_per_gb_month,
                 "Standard storage price in dollars per GB-month (default 0.10)")
      ->check(finite_at_least(0));
  if (command != PlanCommand::preview) {
    sub.add_option("--archive-price-per-gb-month", flags.archive_price_per_gb_month,
                   "Archive storage price; transitions save the difference (default: same as "
                   "standard, no saving)")
        ->check(finite_at_least(0));
  }
  add_max_rows_option(sub, flags.max_rows, "changed images per repository");
  sub.add_option("--concurrency", flags.concurrency,
                 "Repositories listed and worked on at once per registry (default 32)")
      ->check(finite_between(1, 64));
  sub.add_flag("--quiet,-q", flags.quiet,
               command == PlanCommand::apply ? "Totals and problems only; no progress line"
                                             : "Table: totals only; no notes on stderr");
}

Result<PlanSetup> plan_setup(const PlanFlags& flags, Clock& clock) {
  auto output = resolve_output(flags.output);
  if (!output.ok()) return output.error();
  const auto now = now_option(flags.now, clock);
  if (!now.ok()) return now.error();
  auto inputs = protection_inputs(flags.protection);
  if (!inputs.ok()) return inputs.error();
  PlanSetup setup;
  setup.output = *output;
  PlanOptions& plan = setup.request.plan;
  plan.now = *now;
  plan.price_per_gb_month = flags.price_per_gb_month;
  plan.archive_price_per_gb_month = flags.archive_price_per_gb_month;
  plan.repository_globs = flags.repository_globs;
  setup.request.concurrency = flags.concurrency;
  auto protections = load_protections(*inputs, plan);
  if (!protections.ok()) return protections.error();
  setup.protections = *protections;
  return setup;
}

}  // namespace regsweep::cli
