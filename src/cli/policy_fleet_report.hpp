// The report of a policy fleet operation (put, diff, delete; and `run` targets in install mode):
// per repository "create", "update" with the rule diff, or "unchanged", then a summary. JSON:
// {"schemaVersion": 1, "results": [...], "listingErrors", "appearedDuringRun", "summary":
// {created, updated, unchanged, failed, written}}; text: one RESULT line per repository, DIFF
// lines under it, a SUMMARY line.
#pragma once

#include <cstddef>
#include <string>

#include "app/policy_fleet.hpp"
#include "cli/output.hpp"

namespace regsweep::cli {

struct PolicyReportOptions {
  OutputFormat format = OutputFormat::table;
  bool deleting = false;  // the report of `policy delete` (words "delete"/"none")
  bool wrote = false;     // changes were written
  // What the preview ending says: put and delete write with --yes; diff never writes.
  std::string write_hint = "run again with --yes to write";
  std::size_t max_rows = 0;  // table: repositories listed; 0: all
};

void print_policy_fleet_report(const FleetReport& report, const PolicyReportOptions& options);

}  // namespace regsweep::cli
