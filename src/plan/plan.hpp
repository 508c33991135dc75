// The Plan: what a lifecycle policy would do to every image of an Inventory, with totals in images,
// bytes and dollars. Pure: the Inventory, the Policy, `now` and prices come in as values; nothing
// is read or printed here. Renderers (cli/) turn a Plan into a table or JSON; `apply` (later)
// executes the same Plan, so preview and deletion can never disagree.
//
// Money. ECR bills stored bytes per GB-month (GB = 2^30 bytes). "Saved per month" is:
//   expired image:      size x the price of the class it is stored in (standard or archive)
//   transitioned image: size x (standard price - archive price)
// The archive price defaults to the standard price, so transitions count as saving nothing unless
// the caller names the archive price: archive storage still costs money (with a 90-day minimum and
// retrieval fees), and we would rather under- than over-promise. Sizes are ECR's imageSizeInBytes;
// layers shared with kept images are not actually freed, so byte and dollar figures are upper
// bounds.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/image.hpp"
#include "plan/protect.hpp"
#include "policy/evaluate.hpp"
#include "policy/policy.hpp"
#include "util/glob.hpp"

namespace regsweep {

struct PlanOptions {
  EpochMillis now = 0;
  double price_per_gb_month = 0.10;          // ECR standard storage, us-east-1 list price
  double archive_price_per_gb_month = -1.0;  // < 0: same as price_per_gb_month (see above)
  // --repository-name globs ('*' and '?'); empty plans every repository.
  std::vector<std::string> repository_globs;
  // regsweep's own protections on top of ECR's verdicts (plan/protect.hpp). `protection.now` is
  // set from `now`; `protection.in_use` is ignored: in_use_for gives each repository's map.
  bool protect = true;
  ProtectionOptions protection;
  // digest -> why it is in use, for one repository; null or returning null: nothing in use.
  std::function<const std::unordered_map<std::string, std::string>*(const Repository&)> in_use_for;
};

struct PlanTotals {
  std::uint64_t repositories = 0;
  std::uint64_t images = 0;
  std::uint64_t expiring = 0;
  std::uint64_t transitioning = 0;
  std::uint64_t kept = 0;
  std::uint64_t bytes_total = 0;
  std::uint64_t bytes_expiring = 0;       // freed by expiry
  std::uint64_t bytes_transitioning = 0;  // moved to archive
  double monthly_savings = 0.0;           // dollars per month, see the header comment
  // Expiring archived images within ECR's 90-day minimum (plan/archive_minimum.hpp): deleting
  // them charges the rest of the 90 days, once.
  std::uint64_t early_deletions = 0;
  double early_deletion_charge = 0.0;
  // What the source could not tell (a snapshot of `aws ecr describe-images` output has no
  // manifests): kept image indexes whose children are unknown, kept images of unknown media type
  // (any of them may be an index), and the expiring untagged images of those repositories, which
  // may be children of them — unprotected, unlike with a live listing or `regsweep snapshot`.
  std::uint64_t indexes_without_manifest = 0;
  std::uint64_t unknown_media_type = 0;
  std::uint64_t maybe_unprotected_children = 0;

  void add(const PlanTotals& other);
};

struct RepositoryPlan {
  const Repository* repository = nullptr;  // points into the Inventory the plan was built from
  std::vector<Verdict> verdicts;           // verdicts[i] belongs to repository->images[i]
  std::vector<Protection> protections;     // what regsweep kept (or cascaded) beyond ECR's verdicts
  PlanTotals totals;

  // The protection that decided image i, or null when ECR's verdict stands as it is.
  const Protection* protection_of(std::size_t image) const;
};

struct Plan {
  EpochMillis now = 0;
  double price_per_gb_month = 0.0;
  double archive_price_per_gb_month = 0.0;
  std::vector<RepositoryPlan> repositories;  // in Inventory order
  std::vector<SkippedRepository> skipped;    // listing failed: not evaluated (safety rule 1)
  PlanTotals totals;
};

// The Inventory must outlive the Plan (the plan points into it). Skipped repositories that match
// the globs are carried over.
Plan build_plan(const Inventory& inventory, const Policy& policy, const PlanOptions& options);

}  // namespace regsweep
