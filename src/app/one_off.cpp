#include "app/one_off.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace regsweep {
namespace {

// 14d, 36h, 15m, 30s: the largest unit that divides the duration.
std::string describe_duration(EpochMillis d) {
  if (d % k_millis_per_day == 0) return std::to_string(d / k_millis_per_day) + "d";
  if (d % 3'600'000 == 0) return std::to_string(d / 3'600'000) + "h";
  if (d % 60'000 == 0) return std::to_string(d / 60'000) + "m";
  return std::to_string(d / 1000) + "s";
}

std::vector<DeletionItem> select_named(const std::vector<ImageRecord>& images,
                                       const OneOffSelection& selection,
                                       std::vector<std::string>& not_found) {
  std::map<std::string, const ImageRecord*> by_digest, by_tag;
  for (const auto& image : images) {
    by_digest[image.digest] = &image;
    for (const auto& tag : image.tags) by_tag[tag] = &image;
  }
  std::vector<DeletionItem> items;
  std::set<std::string> whole;  // digests deleted as a whole: their tags need no separate item
  for (const auto& digest : selection.digests) {
    const auto it = by_digest.find(digest);
    if (it == by_digest.end()) {
      not_found.push_back(digest);
    } else if (whole.insert(digest).second) {
      items.push_back({{digest, ""}, *it->second, true, "named by --digest"});
    }
  }
  // Tags per image, so the last tag removed is the one that frees the image.
  std::map<std::string, std::vector<std::string>> tags_of;
  std::vector<std::string> order;
  for (const auto& tag : selection.tags) {
    const auto it = by_tag.find(tag);
    if (it == by_tag.end()) {
      not_found.push_back(tag);
      continue;
    }
    const std::string& digest = it->second->digest;
    if (whole.count(digest)) continue;
    auto& tags = tags_of[digest];
    if (tags.empty()) order.push_back(digest);
    if (std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.push_back(tag);
  }
  for (const auto& digest : order) {
    const ImageRecord& image = *by_digest[digest];
    const auto& tags = tags_of[digest];
    const bool all_tags = tags.size() == image.tags.size();
    for (std::size_t i = 0; i < tags.size(); ++i) {
      const bool last = i + 1 == tags.size();
      items.push_back(
          {{"", tags[i]},
           image,
           all_tags && last,
           all_tags ? "named by --tag (its last tag)" : "untag only: the image keeps other tags"});
    }
  }
  return items;
}

std::vector<DeletionItem> select_untagged(const std::vector<ImageRecord>& images,
                                          const OneOffSelection& selection, EpochMillis now,
                                          std::size_t& protected_count) {
  std::set<std::string> candidates;
  for (const auto& image : images) {
    if (image.tagged()) continue;
    const EpochMillis age_from = std::max(image.pushed_at, image.last_activated_at.value_or(0));
    if (selection.older_than && now - age_from <= *selection.older_than) continue;
    candidates.insert(image.digest);
  }
  const std::size_t initial = candidates.size();
  // A candidate referenced by an image that stays (an index's child, a referrer's subject... the
  // referrer stays if its subject stays) is not deleted. Repeat until nothing changes: keeping one
  // image can keep the children it references.
  for (bool changed = true; changed;) {
    changed = false;
    for (const auto& image : images) {
      if (candidates.count(image.digest)) continue;  // image stays: protect what it references
      for (const auto& child : image.child_digests) changed |= candidates.erase(child) > 0;
    }
    for (const auto& image : images) {
      if (image.subject_digest && candidates.count(image.digest) &&
          !candidates.count(*image.subject_digest) &&
          std::any_of(images.begin(), images.end(),
                      [&](const ImageRecord& s) { return s.digest == *image.subject_digest; })) {
        changed |= candidates.erase(image.digest) > 0;
      }
    }
  }
  protected_count = initial - candidates.size();
  std::vector<DeletionItem> items;
  for (const auto& image : images) {
    if (!candidates.count(image.digest)) continue;
    std::string reason = "untagged";
    if (selection.older_than) reason += ", older than " + describe_duration(*selection.older_than);
    items.push_back({{image.digest, ""}, image, true, reason});
  }
  return items;
}

}  // namespace

Status validate_selection(const OneOffSelection& selection) {
  const bool named = !selection.tags.empty() || !selection.digests.empty();
  if (named && selection.untagged) {
    return make_error(
        ErrorCode::invalid_input,
        "delete: --untagged cannot be combined with --tag/--digest; run them separately");
  }
  if (!named && !selection.untagged) {
    return make_error(ErrorCode::invalid_input,
                      "delete: nothing selected; give --tag T, --digest D or --untagged");
  }
  if (selection.older_than && !selection.untagged) {
    return make_error(ErrorCode::invalid_input,
                      "delete: --older-than works only with --untagged; add --untagged");
  }
  return ok_status();
}

Result<OneOffPlan> plan_one_off(const std::string& repository,
                                const std::vector<ImageRecord>& images,
                                const OneOffSelection& selection, EpochMillis now) {
  auto valid = validate_selection(selection);
  if (!valid) return std::move(valid).take_error();
  OneOffPlan plan;
  plan.deletions.repository = repository;
  plan.deletions.items = selection.untagged
                             ? select_untagged(images, selection, now, plan.protected_count)
                             : select_named(images, selection, plan.not_found);
  return plan;
}

}  // namespace regsweep
