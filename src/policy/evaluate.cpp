#include "policy/evaluate.hpp"

#include <algorithm>
#include <numeric>
#include <string_view>
#include <unordered_map>

#include "util/glob.hpp"

namespace regsweep {
namespace {

constexpr std::uint32_t k_none = UINT32_MAX;

// Spec §3.3: every entry of the list must match some tag of the image (AND over entries, ANY over
// tags); one tag may satisfy several entries (spec Q4, the literal reading).
bool tag_select(const Rule& rule, const ImageRecord& image) {
  switch (rule.tag_status) {
    case TagStatus::untagged:
      return image.tags.empty();
    case TagStatus::any:
      return true;
    case TagStatus::tagged:
      break;
  }
  if (image.tags.empty()) return false;
  for (const auto& prefix : rule.tag_prefixes) {
    const bool hit = std::any_of(image.tags.begin(), image.tags.end(),
                                 [&](const std::string& tag) { return tag.starts_with(prefix); });
    if (!hit) return false;
  }
  for (const auto& pattern : rule.tag_patterns) {
    const bool hit = std::any_of(image.tags.begin(), image.tags.end(),
                                 [&](const std::string& tag) { return glob_match(pattern, tag); });
    if (!hit) return false;
  }
  return true;
}

bool selectable(const ImageRecord& image) {
  return image.status != ImageStatus::activating;
}

// R6: a restored image is ordered, and aged, by when it was restored (spec §3.4, Q6: our choice
// for sinceImagePushed too, since "restored images behave like newly pushed images").
EpochMillis ordering_time(const ImageRecord& image) {
  return image.last_activated_at.value_or(image.pushed_at);
}

// R9: last pull; never pulled -> push time; restored and not pulled since -> restore time.
EpochMillis pull_reference_time(const ImageRecord& image) {
  if (image.last_activated_at &&
      (!image.last_pulled_at || *image.last_pulled_at < *image.last_activated_at)) {
    return *image.last_activated_at;
  }
  return image.last_pulled_at.value_or(image.pushed_at);
}

std::optional<EpochMillis> reference_time(const Rule& rule, const ImageRecord& image) {
  switch (rule.count_type) {
    case CountType::since_image_pushed:
      return ordering_time(image);
    case CountType::since_image_pulled:
      return pull_reference_time(image);
    case CountType::since_image_transitioned:
      return image.last_archived_at;
    case CountType::image_count_more_than:
      return ordering_time(image);
  }
  return std::nullopt;
}

VerdictAction action_of(const Rule& rule) {
  return rule.action == ActionType::expire ? VerdictAction::expire : VerdictAction::transition;
}

struct RuleOutcome {
  bool marked = false;
  std::uint32_t rank = 0;
  EpochMillis reference = 0;
  bool has_reference = true;
};

// What `rule` would do to each image it selects, ignoring every other rule (spec R1, §3.4).
// `selected` lists the indexes of the images the rule selects.
void mark(const Rule& rule, std::span<const ImageRecord> images,
          std::vector<std::uint32_t>& selected, EpochMillis now, std::vector<RuleOutcome>& out) {
  if (rule.count_type == CountType::image_count_more_than) {
    // Youngest first; equal times fall back to the digest so the result never depends on input
    // order (ECR's tie-break is unknown, spec Q3).
    std::sort(selected.begin(), selected.end(), [&](std::uint32_t a, std::uint32_t b) {
      const EpochMillis ta = ordering_time(images[a]), tb = ordering_time(images[b]);
      return ta != tb ? ta > tb : images[a].digest < images[b].digest;
    });
    for (std::size_t r = 0; r < selected.size(); ++r) {
      RuleOutcome& o = out[selected[r]];
      o.rank = static_cast<std::uint32_t>(r + 1);
      o.reference = ordering_time(images[selected[r]]);
      o.marked = static_cast<std::int64_t>(r) >= rule.count_number;
    }
    return;
  }
  // "Older than N days": strictly before now - N*24h (spec Q3: whole 24-hour periods).
  const EpochMillis cutoff = now - rule.count_number * k_millis_per_day;
  for (const std::uint32_t i : selected) {
    RuleOutcome& o = out[i];
    const auto ref = reference_time(rule, images[i]);
    o.has_reference = ref.has_value();
    o.reference = ref.value_or(0);
    o.marked = ref && *ref < cutoff;
  }
}

// R5: an image referenced by an image index that stays cannot be acted on. Nested indexes make
// this a fixpoint: blocking an index keeps it, which in turn keeps its own children.
void protect_children_of_live_indexes(
    std::span<const ImageRecord> images, std::vector<Verdict>& verdicts,
    const std::unordered_map<std::string_view, std::uint32_t>& by_digest) {
  bool changed = true;
  while (changed) {
    changed = false;
    for (std::uint32_t i = 0; i < images.size(); ++i) {
      if (verdicts[i].action != VerdictAction::keep) continue;
      for (const auto& child_digest : images[i].child_digests) {
        const auto it = by_digest.find(child_digest);
        if (it == by_digest.end()) continue;
        Verdict& child = verdicts[it->second];
        if (child.action == VerdictAction::keep) continue;
        child.action = VerdictAction::keep;
        child.reason = VerdictReason::child_of_live_index;
        changed = true;
      }
    }
  }
}

// R11: referrers (an artifact whose manifest names a subject) go with their subject. A referrer a
// rule already acts on keeps that rule's verdict; one that stays follows its subject's action.
void follow_subjects(std::span<const ImageRecord> images, std::vector<Verdict>& verdicts,
                     const std::unordered_map<std::string_view, std::uint32_t>& by_digest) {
  // Chains (a signature of an SBOM of an image) resolve in at most images.size() passes.
  for (std::size_t pass = 0; pass < images.size(); ++pass) {
    bool changed = false;
    for (std::uint32_t i = 0; i < images.size(); ++i) {
      if (!images[i].subject_digest || verdicts[i].action != VerdictAction::keep) continue;
      if (verdicts[i].reason == VerdictReason::child_of_live_index) continue;
      const auto it = by_digest.find(*images[i].subject_digest);
      if (it == by_digest.end() || it->second == i) continue;
      const Verdict& subject = verdicts[it->second];
      if (subject.action == VerdictAction::keep) continue;
      Verdict& v = verdicts[i];
      v.action = subject.action;
      v.reason = VerdictReason::follows_subject;
      v.rule_priority = subject.rule_priority;
      v.shadowed_rule_priority.reset();
      v.subject_index = it->second;
      changed = true;
    }
    if (!changed) break;
  }
}

}  // namespace

std::string_view to_string(VerdictAction value) {
  switch (value) {
    case VerdictAction::keep:
      return "keep";
    case VerdictAction::expire:
      return "expire";
    case VerdictAction::transition:
      return "transition";
  }
  return "keep";
}

std::vector<Verdict> evaluate_policy(const Policy& policy, std::span<const ImageRecord> images,
                                     EpochMillis now) {
  const auto n = static_cast<std::uint32_t>(images.size());
  std::vector<Verdict> verdicts(n);
  // first_rule[i]: index of the highest-priority rule that selects image i (rules are sorted).
  std::vector<std::uint32_t> first_rule(n, k_none);
  std::vector<RuleOutcome> decided(n);
  std::vector<RuleOutcome> outcome(n);
  std::vector<std::uint32_t> selected;
  selected.reserve(n);

  for (std::uint32_t r = 0; r < policy.rules.size(); ++r) {
    const Rule& rule = policy.rules[r];
    selected.clear();
    for (std::uint32_t i = 0; i < n; ++i) {
      const ImageRecord& image = images[i];
      if (selectable(image) && image.storage_class() == rule.storage_class &&
          tag_select(rule, image)) {
        selected.push_back(i);
      }
    }
    mark(rule, images, selected, now, outcome);
    for (const std::uint32_t i : selected) {
      if (first_rule[i] == k_none) {
        first_rule[i] = r;
        decided[i] = outcome[i];
      } else if (outcome[i].marked && !decided[i].marked && !verdicts[i].shadowed_rule_priority) {
        // R3/R4: a lower rule saw it and would act, but the higher rule's selection protects it.
        verdicts[i].shadowed_rule_priority = rule.priority;
      }
    }
  }

  for (std::uint32_t i = 0; i < n; ++i) {
    Verdict& v = verdicts[i];
    if (images[i].status == ImageStatus::activating) {
      v.reason = VerdictReason::being_restored;
      continue;
    }
    if (first_rule[i] == k_none) continue;  // no_rule_selects
    const Rule& rule = policy.rules[first_rule[i]];
    const RuleOutcome& o = decided[i];
    v.rule_priority = rule.priority;
    v.rank = o.rank;
    v.reference_time = o.reference;
    const bool by_count = rule.count_type == CountType::image_count_more_than;
    if (o.marked) {
      v.action = action_of(rule);
      v.reason = by_count ? VerdictReason::count_exceeded : VerdictReason::age_exceeded;
      v.shadowed_rule_priority.reset();
    } else {
      v.reason =
          by_count ? VerdictReason::within_count
                   : (o.has_reference ? VerdictReason::too_recent : VerdictReason::no_archive_time);
    }
  }

  const bool any_links = std::any_of(images.begin(), images.end(), [](const ImageRecord& image) {
    return !image.child_digests.empty() || image.subject_digest.has_value();
  });
  if (any_links) {
    std::unordered_map<std::string_view, std::uint32_t> by_digest;
    by_digest.reserve(n);
    for (std::uint32_t i = 0; i < n; ++i) by_digest.emplace(images[i].digest, i);
    protect_children_of_live_indexes(images, verdicts, by_digest);
    follow_subjects(images, verdicts, by_digest);
    // A referrer that now follows its subject out may itself be an index; its children follow R5.
    protect_children_of_live_indexes(images, verdicts, by_digest);
  }
  return verdicts;
}

}  // namespace regsweep
