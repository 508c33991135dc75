// What `apply` and `delete` share: asking before deleting (the --yes rule) and reporting what
// happened (table for people, JSON for machines), with the exit code (0 all done, 1 anything
// failed). The JSON shape: {"schemaVersion":1, "deleted":[...], "failed":[...], "skipped":[...],
// "gone":[...], "notApplied":{...}, "totals":{...}}; every item carries repositoryName,
// imageDigest, imageTags, imageId (as sent to BatchDeleteImage), sizeInBytes and reason; failed,
// skipped and gone items add code and detail. `apply --plan` adds "notAsPlanned":[{repositoryName,
// imageDigest, reason}], the plan's images left alone because they changed since.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/deletions.hpp"

namespace regsweep::cli {

enum class Consent { granted, declined, no_terminal };

// With `yes`, granted. Otherwise asks `question` [y/N] on a terminal; no_terminal when stdin is not
// one (we refuse to delete without an explicit yes).
Consent ask_consent(bool yes, const std::string& question);

// An image a saved plan expires that is not deleted because it changed since (re-tagged, gone,
// protected today): `apply --plan` lists them in "notAsPlanned".
struct NotAsPlanned {
  std::string repository;
  std::string digest;
  std::string reason;
};

struct ApplyRenderOptions {
  bool json = false;
  bool quiet = false;  // table: totals and problems only
  double price_per_gb_month = 0.10;
  std::uint64_t transitions_not_applied = 0;
  std::uint64_t skipped_repositories = 0;  // listing failed: nothing of them was touched
  std::optional<std::vector<NotAsPlanned>> not_as_planned;  // apply --plan only
};

void render_apply_report(const ApplyReport& report, const ApplyRenderOptions& options);

}  // namespace regsweep::cli
