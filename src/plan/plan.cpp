#include "plan/plan.hpp"

#include <algorithm>
#include <thread>

#include "plan/archive_minimum.hpp"
#include "util/glob.hpp"
#include "util/parallel.hpp"
#include "util/size.hpp"

namespace regsweep {

void PlanTotals::add(const PlanTotals& other) {
  repositories += other.repositories;
  images += other.images;
  expiring += other.expiring;
  transitioning += other.transitioning;
  kept += other.kept;
  bytes_total += other.bytes_total;
  bytes_expiring += other.bytes_expiring;
  bytes_transitioning += other.bytes_transitioning;
  monthly_savings += other.monthly_savings;
  early_deletions += other.early_deletions;
  early_deletion_charge += other.early_deletion_charge;
  indexes_without_manifest += other.indexes_without_manifest;
  unknown_media_type += other.unknown_media_type;
  maybe_unprotected_children += other.maybe_unprotected_children;
}

namespace {

// Kept active images that may list children nobody knows: an index whose manifest was not read,
// or an image of unknown media type. Archived indexes protect no children (spec R5).
void count_unknown_children(const Repository& repo, const std::vector<Verdict>& verdicts,
                            PlanTotals& totals) {
  for (std::size_t i = 0; i < verdicts.size(); ++i) {
    const ImageRecord& image = repo.images[i];
    if (verdicts[i].action != VerdictAction::keep || image.status != ImageStatus::active ||
        image.manifest || !image.child_digests.empty())
      continue;
    if (ImageRecord::is_index_media_type(image.manifest_media_type)) {
      ++totals.indexes_without_manifest;
    } else if (image.manifest_media_type.empty()) {
      ++totals.unknown_media_type;
    }
  }
  if (totals.indexes_without_manifest + totals.unknown_media_type == 0) return;
  for (std::size_t i = 0; i < verdicts.size(); ++i) {
    const ImageRecord& image = repo.images[i];
    if (verdicts[i].action != VerdictAction::keep && !image.tagged() && !image.is_index())
      ++totals.maybe_unprotected_children;
  }
}

PlanTotals repository_totals(const Repository& repo, const std::vector<Verdict>& verdicts,
                             double standard_price, double archive_price, EpochMillis now) {
  PlanTotals totals;
  totals.repositories = 1;
  totals.images = repo.images.size();
  // Bytes are summed per class first and priced once, so that a million images do not accumulate
  // a million rounding errors.
  std::uint64_t expired_standard = 0, expired_archive = 0;
  for (std::size_t i = 0; i < verdicts.size(); ++i) {
    const ImageRecord& image = repo.images[i];
    totals.bytes_total += image.size_bytes;
    switch (verdicts[i].action) {
      case VerdictAction::keep:
        ++totals.kept;
        break;
      case VerdictAction::expire:
        ++totals.expiring;
        totals.bytes_expiring += image.size_bytes;
        (image.storage_class() == StorageClass::standard ? expired_standard : expired_archive) +=
            image.size_bytes;
        if (const auto early = early_deletion(image, now, archive_price)) {
          ++totals.early_deletions;
          totals.early_deletion_charge += early->charge;
        }
        break;
      case VerdictAction::transition:
        ++totals.transitioning;
        totals.bytes_transitioning += image.size_bytes;
        break;
    }
  }
  count_unknown_children(repo, verdicts, totals);
  totals.monthly_savings = monthly_cost(expired_standard, standard_price) +
                           monthly_cost(expired_archive, archive_price) +
                           monthly_cost(totals.bytes_transitioning, standard_price - archive_price);
  return totals;
}

}  // namespace

const Protection* RepositoryPlan::protection_of(std::size_t image) const {
  // The last record wins: a cascade can be followed by a keep for the same image.
  for (auto it = protections.rbegin(); it != protections.rend(); ++it) {
    if (it->image == image) return &*it;
  }
  return nullptr;
}

Plan build_plan(const Inventory& inventory, const Policy& policy, const PlanOptions& options) {
  Plan plan;
  plan.now = options.now;
  plan.price_per_gb_month = options.price_per_gb_month;
  plan.archive_price_per_gb_month = options.archive_price_per_gb_month < 0
                                        ? options.price_per_gb_month
                                        : options.archive_price_per_gb_month;
  std::vector<const Repository*> selected;
  selected.reserve(inventory.repositories.size());
  for (const auto& repo : inventory.repositories) {
    if (repository_selected(options.repository_globs, repo.name)) selected.push_back(&repo);
  }
  // Repositories are evaluated independently, so blocks of them run on up to 2 threads (each
  // writes only its own slots); the totals are then added up in repository order, so that the
  // floating-point sums are the same as a one-thread run.
  plan.repositories.resize(selected.size());
  static constexpr std::size_t k_block = 64;
  const int threads = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 2u));
  parallel_for((selected.size() + k_block - 1) / k_block, threads, [&](std::size_t block) {
    const std::size_t end = std::min(selected.size(), (block + 1) * k_block);
    for (std::size_t r = block * k_block; r < end; ++r) {
      const Repository& repo = *selected[r];
      RepositoryPlan& out = plan.repositories[r];
      out.repository = &repo;
      out.verdicts = evaluate_policy(policy, repo.images, options.now);
      if (options.protect) {
        ProtectionOptions protection = options.protection;
        protection.now = options.now;
        protection.in_use = options.in_use_for ? options.in_use_for(repo) : nullptr;
        out.protections = protect_repository(repo.images, out.verdicts, protection);
      }
      out.totals = repository_totals(repo, out.verdicts, plan.price_per_gb_month,
                                     plan.archive_price_per_gb_month, plan.now);
    }
  });
  for (const auto& out : plan.repositories) plan.totals.add(out.totals);
  for (const auto& skipped : inventory.skipped) {
    if (repository_selected(options.repository_globs, skipped.name))
      plan.skipped.push_back(skipped);
  }
  return plan;
}

}  // namespace regsweep
