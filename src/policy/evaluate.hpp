// Evaluate a policy over one repository's images exactly as ECR does (spec §3.2): every rule
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
  no_rule_selects,        // keep: no rule's selection matches the image
  within_count,           // keep: selected by a count rule and among its N newest (rank says where)
  too_recent,             // keep: selected by an age rule and not old enough yet
  claimed_by_higher_rule, // keep: marked by `rule`, but a higher rule (`blocking_rule`) selected it
  child_of_live_index,    // keep: marked by `rule`, but a live image index references it
  count_exceeded,         // expire/transition: beyond the N newest of `rule` (rank says where)
  age_exceeded,           // expire/transition: older than the rule's days
};

struct Verdict {
  VerdictAction action = VerdictAction::keep;
  VerdictReason reason = VerdictReason::no_rule_selects;
  // The rule that decided (acted, or would have acted and was blocked, or kept by count/age).
  std::optional<std::int64_t> rule_priority;
  std::optional<std::int64_t> blocking_rule_priority;  // claimed_by_higher_rule
  std::uint32_t rank = 0;          // 1-based position among the rule's selection, newest first
  EpochMillis reference_time = 0;  // the time the rule compared (push, pull, activation, archive)

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
