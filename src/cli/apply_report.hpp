// What `apply`, `delete`, `restore` and `journal restore` share: reporting what happened (an
// aligned table for people, JSON or text for machines), with the exit code (0 all done, 1 anything
// failed). The JSON shape (docs/output.md): {"schemaVersion":2, "deleted":[...], "archived":[...],
// "restored":[...], "failed":[...], "skipped":[...], "gone":[...], "totals":{...}}; every item
// carries repositoryName, imageDigest, imageTags, imageId (as sent to BatchDeleteImage),
// imageSizeInBytes and reason; failed, skipped and gone items add code and detail. Text: one ITEM
// line per image. `apply --plan` adds "notAsPlanned":[{repositoryName, imageDigest, reason}], the
// plan's images left alone because they changed since.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/deleting.hpp"
#include "aws/call_counter.hpp"
#include "cli/output.hpp"
#include "plan/saved_plan.hpp"

namespace regsweep::cli {

struct ApplyRenderOptions {
  OutputFormat format = OutputFormat::table;
  bool quiet = false;        // table: totals and problems only
  std::size_t max_rows = 0;  // table: items listed per section; 0: all
  double price_per_gb_month = 0.10;
  double archive_price_per_gb_month = 0.10;  // archived images save the difference
  std::uint64_t skipped_repositories = 0;    // listing failed: nothing of them was touched
  // apply --plan only: images the plan expires left alone because they changed since
  std::optional<std::vector<SavedPlanMismatch>> not_as_planned;
  ApiCalls api_calls;  // the requests of the whole run, per operation: "apiCalls"
};

void render_apply_report(const ApplyReport& report, const ApplyRenderOptions& options);

// The end of every deleting command (apply, apply --plan, delete): the report, or why nothing was
// deleted, and the exit code — 0 done (or declined), 1 anything failed or `complete` is false
// (something was not planned), 2 refused without a terminal or bad input.
int report_deletion(const std::string& name, const DeletionOutcome& deletion, bool complete,
                    const ApplyRenderOptions& render, bool quiet);

}  // namespace regsweep::cli
