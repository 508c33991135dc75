// The repository view's rows (issue 14): every image of one planned repository with what the UI
// shows — its kind (image, index, signature, SBOM...), the plan's verdict and the sentence that
// explains it, and where it belongs (the index that lists it, the subject a referrer points to) —
// and the server-side query over them: filter, sort, nest children and referrers under their
// image, page. 20,000 images are filtered and sorted in a few milliseconds, so the browser only
// ever receives one page. Pure: the repository, its plan and `now` come in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/image.hpp"
#include "plan/plan.hpp"
#include "policy/policy.hpp"

namespace regsweep::web {

struct ImageRow {
  std::uint32_t index = 0;  // into repository.images
  std::string kind;         // "image", "index", "signature", "sbom", "attestation", "artifact"
  std::string action;       // "keep", "expire", "transition"
  std::string reason;       // "expire: rule 2 keeps ...", "keep: in use (...)"
  bool protected_by_regsweep = false;  // a protection (plan/protect.hpp) decided the verdict
  std::int64_t parent = -1;            // the index listing it, or the subject it refers to
  std::string relation;                // "child of index v3", "signature of v3"
};

// `plan` may be null (a repository not planned: every image kept, "not planned").
std::vector<ImageRow> build_rows(const Repository& repository, const RepositoryPlan* plan,
                                 const Policy* policy, EpochMillis now);

enum class SortKey { pushed, pulled, size, tags, digest, action };

struct ImageQuery {
  SortKey sort = SortKey::pushed;
  bool descending = true;
  std::string tag_glob;  // '*' wildcards; matches when any tag matches
  bool untagged = false;
  std::optional<EpochMillis> older_than;  // pushed longer ago than this (before `now`)
  std::string status;  // "", "expire", "transition", "keep", "protected", "archived"
  std::string text;    // substring of the digest or of a tag
  std::size_t offset = 0;
  std::size_t limit = 100;
};

struct QueriedRow {
  std::size_t row = 0;  // into the rows vector
  int depth = 0;        // 0: top level; 1+: nested under the row before it
};

struct QueryResult {
  std::vector<QueriedRow> page;  // top-level rows [offset, offset+limit) with their nested rows
  std::size_t matched = 0;       // images matching the filter
  std::size_t top_level = 0;     // rows the pages are counted in
  std::uint64_t matched_bytes = 0;
  std::vector<std::size_t> all;  // every matching row (select all matching the filter)
};

QueryResult query_rows(const Repository& repository, const std::vector<ImageRow>& rows,
                       const ImageQuery& query, EpochMillis now);

std::optional<SortKey> parse_sort_key(std::string_view text);

// "sha256:0123456789ab" (the first 12 hex digits): how the UI names untagged images.
std::string short_digest(const std::string& digest);

}  // namespace regsweep::web
