#include "plan/protect.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_map>

namespace regsweep {
namespace {

using Index = std::unordered_map<std::string_view, std::uint32_t>;

class Protector {
 public:
  Protector(std::span<const ImageRecord> images, std::vector<Verdict>& verdicts,
            const ProtectionOptions& options)
      : m_images(images), m_verdicts(verdicts), m_options(options) {
    m_by_digest.reserve(images.size());
    for (std::uint32_t i = 0; i < images.size(); ++i) m_by_digest.emplace(images[i].digest, i);
    m_locked.assign(images.size(), false);
    m_parents.resize(images.size());
    for (std::uint32_t i = 0; i < images.size(); ++i) {
      for (const auto& digest : images[i].child_digests) {
        const auto it = m_by_digest.find(digest);
        if (it != m_by_digest.end() && it->second != i) m_parents[it->second].push_back(i);
      }
    }
  }

  std::vector<Protection> run() {
    for (std::uint32_t i = 0; i < m_images.size(); ++i) protect_by_time_and_use(i);
    cascade_through_graph();
    apply_repository_guards();
    return std::move(m_out);
  }

 private:
  std::span<const ImageRecord> m_images;
  std::vector<Verdict>& m_verdicts;
  const ProtectionOptions& m_options;
  Index m_by_digest;
  std::vector<bool> m_locked;  // kept by rules 1-3: nothing may cascade it out
  std::vector<std::vector<std::uint32_t>> m_parents;  // image -> the indexes that list it
  std::vector<Protection> m_out;

  bool acted(std::uint32_t i) const { return m_verdicts[i].action != VerdictAction::keep; }

  void keep(std::uint32_t i, ProtectionKind kind, std::string detail) {
    m_verdicts[i].action = VerdictAction::keep;
    m_out.push_back({i, kind, std::move(detail)});
  }

  void protect_by_time_and_use(std::uint32_t i) {
    const ImageRecord& image = m_images[i];
    // Judged against the evaluation time and, when given, the real clock too: --now can only
    // ever add keeps here, never make a fresh image look old.
    const EpochMillis now = m_options.now;
    const EpochMillis earliest_now = m_options.clock ? std::min(now, *m_options.clock) : now;
    if (image.pushed_at < k_earliest_plausible_time ||
        image.pushed_at > earliest_now + k_future_tolerance) {
      m_locked[i] = true;
      if (acted(i)) keep(i, ProtectionKind::unknown_timestamp, format_iso8601(image.pushed_at));
      return;
    }
    const EpochMillis pushed_or_restored = image.last_activated_at.value_or(image.pushed_at);
    if (now - pushed_or_restored < m_options.min_age ||
        (m_options.clock && *m_options.clock - pushed_or_restored < m_options.min_age)) {
      m_locked[i] = true;
      if (acted(i)) keep(i, ProtectionKind::younger_than_min_age, "");
      return;
    }
    if (m_options.in_use) {
      const auto it = m_options.in_use->find(image.digest);
      if (it != m_options.in_use->end()) {
        m_locked[i] = true;
        if (acted(i)) keep(i, ProtectionKind::in_use, it->second);
      }
    }
  }

  std::optional<std::uint32_t> find(const std::string& digest) const {
    const auto it = m_by_digest.find(digest);
    return it == m_by_digest.end() ? std::nullopt : std::optional(it->second);
  }

  // A child stays if any index that lists it stays.
  bool referenced_by_kept_index(std::uint32_t child) const {
    const auto& parents = m_parents[child];
    return std::any_of(parents.begin(), parents.end(), [&](std::uint32_t p) { return !acted(p); });
  }

  // One pass of rule 4; true when something changed.
  bool cascade_once() {
    bool changed = false;
    for (std::uint32_t i = 0; i < m_images.size(); ++i) {
      const ImageRecord& image = m_images[i];
      for (const auto& digest : image.child_digests) {
        const auto child = find(digest);
        if (!child || *child == i) continue;
        if (!acted(i) && acted(*child)) {
          keep(*child, ProtectionKind::child_of_kept_index, "index " + image.digest);
          changed = true;
        } else if (acted(i) && !acted(*child) && !m_locked[*child] && !m_images[*child].tagged() &&
                   !referenced_by_kept_index(*child)) {
          Verdict& v = m_verdicts[*child];
          v.action = m_verdicts[i].action;
          v.rule_priority = m_verdicts[i].rule_priority;
          m_out.push_back(
              {*child, ProtectionKind::child_of_expiring_index, "index " + image.digest});
          changed = true;
        }
      }
      if (!image.subject_digest) continue;
      const auto subject = find(*image.subject_digest);
      if (!subject || *subject == i) continue;
      if (!acted(*subject) && acted(i)) {
        keep(i, ProtectionKind::referrer_of_kept_subject, "subject " + *image.subject_digest);
        changed = true;
      } else if (acted(*subject) && !acted(i) && !m_locked[i]) {
        Verdict& v = m_verdicts[i];
        v.action = m_verdicts[*subject].action;
        v.rule_priority = m_verdicts[*subject].rule_priority;
        m_out.push_back(
            {i, ProtectionKind::referrer_of_removed_subject, "subject " + *image.subject_digest});
        changed = true;
      }
    }
    return changed;
  }

  void cascade_through_graph() {
    const bool any_links =
        std::any_of(m_images.begin(), m_images.end(), [](const ImageRecord& image) {
          return !image.child_digests.empty() || image.subject_digest.has_value();
        });
    if (!any_links) return;
    // Each change flips one image one way for good (keeps win over cascades), so this ends; the
    // bound is a guard against a bug, not a limit real repositories reach.
    for (std::size_t pass = 0; pass <= 2 * m_images.size() + 1 && cascade_once(); ++pass) {
    }
  }

  void keep_every_deletion(ProtectionKind kind, const std::string& detail) {
    for (std::uint32_t i = 0; i < m_images.size(); ++i) {
      if (acted(i) && m_verdicts[i].action == VerdictAction::expire) keep(i, kind, detail);
    }
  }

  void apply_repository_guards() {
    std::uint64_t images = 0, deleting = 0;
    for (std::uint32_t i = 0; i < m_images.size(); ++i) {
      if (m_images[i].subject_digest) continue;  // referrers are not counted as images
      ++images;
      if (m_verdicts[i].action == VerdictAction::expire) ++deleting;
    }
    if (deleting == 0) return;
    if (deleting == images && !m_options.allow_empty) {
      return keep_every_deletion(
          ProtectionKind::repository_would_be_emptied,
          "all " + std::to_string(images) + " images would go; pass --allow-empty to permit it");
    }
    if (m_options.max_delete && deleting > *m_options.max_delete) {
      return keep_every_deletion(ProtectionKind::delete_limit,
                                 std::to_string(deleting) + " deletions exceed --max-delete " +
                                     std::to_string(*m_options.max_delete));
    }
    if (m_options.max_delete_percent &&
        static_cast<double>(deleting) * 100.0 >
            *m_options.max_delete_percent * static_cast<double>(images)) {
      keep_every_deletion(ProtectionKind::delete_limit,
                          std::to_string(deleting) + " of " + std::to_string(images) +
                              " images exceed --max-delete-percent " +
                              std::to_string(*m_options.max_delete_percent));
    }
  }
};

}  // namespace

std::string_view to_string(ProtectionKind kind) {
  switch (kind) {
    case ProtectionKind::unknown_timestamp:
      return "unknown_timestamp";
    case ProtectionKind::younger_than_min_age:
      return "younger_than_min_age";
    case ProtectionKind::in_use:
      return "in_use";
    case ProtectionKind::child_of_kept_index:
      return "child_of_kept_index";
    case ProtectionKind::referrer_of_kept_subject:
      return "referrer_of_kept_subject";
    case ProtectionKind::child_of_expiring_index:
      return "child_of_expiring_index";
    case ProtectionKind::referrer_of_removed_subject:
      return "referrer_of_removed_subject";
    case ProtectionKind::repository_would_be_emptied:
      return "repository_would_be_emptied";
    case ProtectionKind::delete_limit:
      return "delete_limit";
  }
  return "in_use";
}

std::string explain_protection(const Protection& p) {
  const std::string detail = p.detail.empty() ? "" : " (" + p.detail + ")";
  switch (p.kind) {
    case ProtectionKind::unknown_timestamp:
      return "keep: push time is implausible, treated as unknown" + detail;
    case ProtectionKind::younger_than_min_age:
      return "keep: younger than --min-age";
    case ProtectionKind::in_use:
      return "keep: in use" + detail;
    case ProtectionKind::child_of_kept_index:
      return "keep: part of an image index that stays" + detail;
    case ProtectionKind::referrer_of_kept_subject:
      return "keep: refers to an image that stays" + detail;
    case ProtectionKind::child_of_expiring_index:
      return "goes with its image index" + detail;
    case ProtectionKind::referrer_of_removed_subject:
      return "goes with the image it refers to" + detail;
    case ProtectionKind::repository_would_be_emptied:
      return "keep: the repository would be emptied" + detail;
    case ProtectionKind::delete_limit:
      return "keep: deletion limit reached" + detail;
  }
  return "keep";
}

std::vector<Protection> protect_repository(std::span<const ImageRecord> images,
                                           std::vector<Verdict>& verdicts,
                                           const ProtectionOptions& options) {
  return Protector(images, verdicts, options).run();
}

}  // namespace regsweep
