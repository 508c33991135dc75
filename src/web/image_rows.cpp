#include "web/image_rows.hpp"

#include <algorithm>
#include <unordered_map>

#include "plan/protect.hpp"
#include "policy/explain.hpp"
#include "util/glob.hpp"

namespace regsweep::web {
namespace {

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

std::string kind_of(const ImageRecord& image) {
  if (image.is_index()) return "index";
  const std::string& artifact = image.artifact_media_type;
  if (contains(artifact, "cosign") || contains(artifact, "signature") || contains(artifact, ".sig"))
    return "signature";
  if (contains(artifact, "spdx") || contains(artifact, "cyclonedx") || contains(artifact, "sbom"))
    return "sbom";
  if (contains(artifact, "in-toto") || contains(artifact, "attestation")) return "attestation";
  if (image.subject_digest) return "artifact";
  return "image";
}

std::string name_of(const ImageRecord& image) {
  return image.tags.empty() ? short_digest(image.digest) : image.tags.front();
}

int compare_rows(const Repository& repo, const ImageRow& a, const ImageRow& b, SortKey key) {
  const ImageRecord& x = repo.images[a.index];
  const ImageRecord& y = repo.images[b.index];
  const auto cmp = [](const auto& l, const auto& r) { return l < r ? -1 : (r < l ? 1 : 0); };
  switch (key) {
    case SortKey::pushed:
      return cmp(x.pushed_at, y.pushed_at);
    case SortKey::pulled:
      return cmp(x.last_pulled_at.value_or(-1), y.last_pulled_at.value_or(-1));
    case SortKey::size:
      return cmp(x.size_bytes, y.size_bytes);
    case SortKey::tags:
      return cmp(x.tags.empty() ? std::string() : x.tags.front(),
                 y.tags.empty() ? std::string() : y.tags.front());
    case SortKey::digest:
      return 0;  // the tie-breaker below
    case SortKey::action:
      return cmp(a.action, b.action);
  }
  return 0;
}

}  // namespace

std::string short_digest(const std::string& digest) {
  return digest.starts_with("sha256:") && digest.size() > 19 ? digest.substr(0, 19) : digest;
}

std::optional<SortKey> parse_sort_key(std::string_view text) {
  if (text == "pushed") return SortKey::pushed;
  if (text == "pulled") return SortKey::pulled;
  if (text == "size") return SortKey::size;
  if (text == "tags") return SortKey::tags;
  if (text == "digest") return SortKey::digest;
  if (text == "action") return SortKey::action;
  return std::nullopt;
}

std::vector<ImageRow> build_rows(const Repository& repository, const RepositoryPlan* plan,
                                 const Policy* policy, EpochMillis now) {
  const auto& images = repository.images;
  std::vector<ImageRow> rows(images.size());
  std::unordered_map<std::string, std::uint32_t> by_digest;
  by_digest.reserve(images.size());
  for (std::uint32_t i = 0; i < images.size(); ++i) by_digest.emplace(images[i].digest, i);
  std::optional<Explainer> explainer;
  if (policy != nullptr) explainer.emplace(*policy, now);
  // The protection that decided each image (the last record wins, as in protection_of), in one
  // pass instead of a search per image.
  std::vector<const Protection*> protection_of(images.size(), nullptr);
  if (plan != nullptr) {
    for (const auto& p : plan->protections)
      if (p.image < protection_of.size()) protection_of[p.image] = &p;
  }
  for (std::uint32_t i = 0; i < images.size(); ++i) {
    ImageRow& row = rows[i];
    row.index = i;
    row.kind = kind_of(images[i]);
    if (plan == nullptr || i >= plan->verdicts.size()) {
      row.action = "keep";
      row.reason = "keep: not planned";
      continue;
    }
    row.action = std::string(to_string(plan->verdicts[i].action));
    if (const Protection* protection = protection_of[i]) {
      row.reason = explain_protection(*protection);
      row.protected_by_regsweep = true;
    } else if (explainer) {
      row.reason = std::string((*explainer)(plan->verdicts[i]));
    } else {
      row.reason = "keep: no lifecycle policy installed";
    }
  }
  // Where each image belongs: a referrer under its subject, an index's child under the index (a
  // tagged index first when several list it).
  for (std::uint32_t i = 0; i < images.size(); ++i) {
    const ImageRecord& image = images[i];
    if (image.subject_digest) {
      if (const auto it = by_digest.find(*image.subject_digest); it != by_digest.end()) {
        rows[i].parent = it->second;
        rows[i].relation = rows[i].kind + " of " + name_of(images[it->second]);
      }
    }
    for (const auto& child : image.child_digests) {
      const auto it = by_digest.find(child);
      if (it == by_digest.end() || it->second == i) continue;
      ImageRow& c = rows[it->second];
      if (c.parent >= 0 && (images[i].tags.empty() || !images[c.parent].tags.empty())) continue;
      c.parent = i;
      c.relation = "child of index " + name_of(image);
    }
  }
  return rows;
}

QueryResult query_rows(const Repository& repository, const std::vector<ImageRow>& rows,
                       const ImageQuery& query, EpochMillis now) {
  QueryResult result;
  const auto& images = repository.images;
  std::vector<char> matched(rows.size(), 0);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const ImageRecord& image = images[rows[r].index];
    if (query.untagged && image.tagged()) continue;
    if (!query.tag_glob.empty() &&
        std::none_of(image.tags.begin(), image.tags.end(),
                     [&](const std::string& tag) { return glob_match(query.tag_glob, tag); }))
      continue;
    if (query.older_than && now - image.pushed_at <= *query.older_than) continue;
    if (!query.status.empty()) {
      const ImageRow& row = rows[r];
      const bool ok = query.status == "protected"  ? row.protected_by_regsweep
                      : query.status == "archived" ? image.storage_class() == StorageClass::archive
                                                   : row.action == query.status;
      if (!ok) continue;
    }
    if (!query.text.empty() && !contains(image.digest, query.text) &&
        std::none_of(image.tags.begin(), image.tags.end(),
                     [&](const std::string& tag) { return contains(tag, query.text); }))
      continue;
    matched[r] = 1;
    ++result.matched;
    result.matched_bytes += image.size_bytes;
    result.all.push_back(r);
  }
  const auto less = [&](std::size_t a, std::size_t b) {
    const int c = compare_rows(repository, rows[a], rows[b], query.sort);
    if (c != 0) return query.descending ? c > 0 : c < 0;
    // Equal keys: by digest, so the order never depends on listing order.
    const int d = images[rows[a].index].digest.compare(images[rows[b].index].digest);
    return query.descending ? d > 0 : d < 0;
  };
  // Top level: matching rows whose parent does not match (or that have none).
  std::vector<std::size_t> top;
  std::unordered_map<std::size_t, std::vector<std::size_t>> children;
  for (const std::size_t r : result.all) {
    const std::int64_t parent = rows[r].parent;
    if (parent >= 0 && matched[static_cast<std::size_t>(parent)]) {
      children[static_cast<std::size_t>(parent)].push_back(r);
    } else {
      top.push_back(r);
    }
  }
  result.top_level = top.size();
  const std::size_t begin = std::min(query.offset, top.size());
  const std::size_t end = std::min(top.size(), begin + query.limit);
  std::partial_sort(top.begin(), top.begin() + static_cast<std::ptrdiff_t>(end), top.end(), less);
  // Depth-first under each page row; a cycle (an index listing itself through another) cannot
  // recurse forever: a row is emitted once.
  std::vector<char> emitted(rows.size(), 0);
  const auto emit = [&](auto&& self, std::size_t r, int depth) -> void {
    if (emitted[r]) return;
    emitted[r] = 1;
    result.page.push_back({r, depth});
    auto it = children.find(r);
    if (it == children.end()) return;
    std::sort(it->second.begin(), it->second.end(), less);
    for (const std::size_t c : it->second) self(self, c, depth + 1);
  };
  for (std::size_t i = begin; i < end; ++i) emit(emit, top[i], 0);
  return result;
}

}  // namespace regsweep::web
