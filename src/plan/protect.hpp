// regsweep's own protections, applied on top of ECR's verdicts (issue 6). ECR's engine decides what
// a lifecycle policy would do; this pass decides what regsweep will actually let happen. It only
// ever turns a deletion into a keep, except for two cascades that keep repositories consistent:
// an expiring image index takes its untagged children with it, and a referrer (signature, SBOM,
// attestation) goes with its subject. Pure: images, verdicts and `now` in; verdicts changed in
// place and the reasons returned.
//
// Rules, in order (a later rule never undoes an earlier keep):
//   1. A push time in the future or before 2000 is unknown: the image is kept and reported.
//   2. Images younger than min_age are kept (in-flight multi-arch pushes, untagged ones included).
//   (1 and 2 hold against `now` and, when set, the real `clock` both.)
//   3. Images in use (by digest) are kept.
//   4. Children of a kept index are kept; untagged children of an expiring index expire with it
//      unless something else keeps them. Referrers are kept while their subject is kept and
//      expire with it. (Repeated until nothing changes: indexes can nest, referrers can chain.)
//   5. A repository would never be emptied unless allow_empty; a repository whose deletions
//      exceed max_delete or max_delete_percent is left alone whole. Referrers are not counted as
//      images by these guards.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/image.hpp"
#include "policy/evaluate.hpp"

namespace regsweep {

enum class ProtectionKind : std::uint8_t {
  unknown_timestamp,
  younger_than_min_age,
  in_use,
  child_of_kept_index,
  referrer_of_kept_subject,
  child_of_expiring_index,      // cascade: now expiring
  referrer_of_removed_subject,  // cascade: now expiring/transitioning with its subject
  repository_would_be_emptied,
  delete_limit,
};

std::string_view to_string(ProtectionKind kind);

struct Protection {
  std::uint32_t image = 0;  // index into the repository's images
  ProtectionKind kind = ProtectionKind::in_use;
  std::string detail;  // e.g. "k8s deployment prod/api", "index sha256:ab…", "limit 100"
};

struct ProtectionOptions {
  EpochMillis now = 0;  // the evaluation time (--now)
  // The real time, when the caller deletes now: rules 1 and 2 then hold against it as well as
  // against `now`, so an evaluation time in the future (or past) never lets a fresh image go.
  std::optional<EpochMillis> clock;
  EpochMillis min_age = 3'600'000;  // 1h
  bool allow_empty = false;
  std::optional<std::uint64_t> max_delete;   // per repository
  std::optional<double> max_delete_percent;  // per repository, 0..100
  // digest -> why it is in use ("k8s pod prod/api-7d9 container web"). May be null.
  const std::unordered_map<std::string, std::string>* in_use = nullptr;
};

// A sentence for a kept or cascaded image: "keep: in use (k8s deployment prod/api)".
std::string explain_protection(const Protection& protection);

std::vector<Protection> protect_repository(std::span<const ImageRecord> images,
                                           std::vector<Verdict>& verdicts,
                                           const ProtectionOptions& options);

// The earliest plausible push time; anything before is treated as unknown.
constexpr EpochMillis k_earliest_plausible_time = 946'684'800'000;  // 2000-01-01T00:00:00Z
// Clock skew tolerated before a push time counts as "in the future".
constexpr EpochMillis k_future_tolerance = 5 * 60'000;

}  // namespace regsweep
