// Evaluate a policy over one repository's images exactly as ECR does ("spec": docs/research/
// ecr-lifecycle-spec.md, §3.2): every rule
// selects and marks over all images at once; then, in priority order, a rule acts on a marked image
// only if no higher-priority rule of the same storage class selected it, and only if no live image
// index references it. Pure: no clock, no I/O; `now` comes in as a value.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "model/image.hpp"
#include "policy/policy.hpp"

namespace regsweep {

enum class VerdictAction { keep, expire, transition };

// Why an image got its verdict, as data; explain() turns it into a sentence. Kept compact because a
// plan may hold millions of these.
enum class VerdictReason : std::uint8_t {
  no_rule_selects,      // keep: no rule's selection matches the image
  within_count,         // keep: its first selecting rule counts it among the N newest (see rank)
  too_recent,           // keep: its first selecting rule is an age rule and it is not old enough
  no_archive_time,      // keep: archived, but ECR reported no lastArchivedAt to age it by
  being_restored,       // keep: imageStatus ACTIVATING; no rule acts on an image being restored
  child_of_live_index,  // keep: its rule would act, but an image index that stays references it
  count_exceeded,       // expire/transition: beyond the N newest of its rule (see rank)
  age_exceeded,         // expire/transition: older than its rule's days (see reference_time)
  follows_subject,      // expire/transition: a referrer (signature, SBOM) whose subject is acted on
};

// Each image is decided by its first selecting rule: the highest-priority rule whose selection
// matches it (ECR: an image matched by a rule can never be acted on by a lower one).
struct Verdict {
  VerdictAction action = VerdictAction::keep;
  VerdictReason reason = VerdictReason::no_rule_selects;
  std::optional<std::int64_t> rule_priority;  // the deciding rule; none for no_rule_selects
  // keep only: a lower-priority rule that would have acted on the image had the deciding rule
  // not selected it first (shows why e.g. an old image survives an "expire untagged" rule).
  std::optional<std::int64_t> shadowed_rule_priority;
  std::uint32_t rank = 0;           // count rules: 1-based position in the selection, newest first
  EpochMillis reference_time = 0;   // age rules: the time compared (push, pull, restore, archive)
  std::uint32_t subject_index = 0;  // follows_subject: index of the subject image

  // appliedRulePriority in ECR's preview: set only when the image is acted on.
  std::optional<std::int64_t> applied_rule_priority() const {
    return action == VerdictAction::keep ? std::nullopt : rule_priority;
  }
};

std::string_view to_string(VerdictAction value);  // "keep", "expire", "transition"

// verdicts[i] belongs to images[i]. The result does not depend on the order of `images`.
std::vector<Verdict> evaluate_policy(const Policy& policy, std::span<const ImageRecord> images,
                                     EpochMillis now);

}  // namespace regsweep
