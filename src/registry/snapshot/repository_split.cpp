#include "registry/snapshot/repository_split.hpp"

#include <cstring>

#include "util/parallel.hpp"

namespace regsweep {
namespace {

constexpr std::string_view k_name_key = "\"repositoryName\"";
constexpr std::size_t k_none = std::string_view::npos;

bool is_space(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

std::size_t skip_forward(std::string_view json, std::size_t at) {
  while (at < json.size() && is_space(json[at])) ++at;
  return at;
}

// The index of the last non-space character before `end`, k_none when there is none.
std::size_t last_before(std::string_view json, std::size_t end) {
  while (end > 0 && is_space(json[end - 1])) --end;
  return end == 0 ? k_none : end - 1;
}

// Skips spaces, then `token`; false when something else is there.
bool expect(std::string_view json, std::size_t& at, std::string_view token) {
  at = skip_forward(json, at);
  if (json.substr(at, token.size()) != token) return false;
  at += token.size();
  return true;
}

// Offsets of every "repositoryName" key text that starts in [from, to), in order. memmem skips
// through the text far faster than parsing it (a few GB/s).
std::vector<std::size_t> find_name_keys(std::string_view json, std::size_t from, std::size_t to) {
  std::vector<std::size_t> found;
  const std::size_t limit = std::min(json.size(), to + k_name_key.size() - 1);
  for (std::size_t at = from; at < to;) {
    const void* hit = ::memmem(json.data() + at, limit - at, k_name_key.data(), k_name_key.size());
    if (hit == nullptr) break;
    const auto offset = static_cast<std::size_t>(static_cast<const char*>(hit) - json.data());
    found.push_back(offset);
    at = offset + k_name_key.size();
  }
  return found;
}

}  // namespace

std::optional<std::vector<ByteRange>> split_repositories(std::string_view json, int threads) {
  std::size_t at = 0;
  if (!expect(json, at, "{") || !expect(json, at, "\"repositories\"") || !expect(json, at, ":") ||
      !expect(json, at, "["))
    return std::nullopt;
  const std::size_t first = skip_forward(json, at);
  // The end: `] }` and nothing else but spaces.
  const std::size_t root_close = last_before(json, json.size());
  if (root_close == k_none || json[root_close] != '}') return std::nullopt;
  const std::size_t array_close = last_before(json, root_close);
  if (array_close == k_none || json[array_close] != ']' || array_close <= first)
    return std::nullopt;

  const auto slices = static_cast<std::size_t>(std::max(1, threads));
  std::vector<std::vector<std::size_t>> keys(slices);
  const std::size_t span = array_close - first;
  parallel_for(slices, threads, [&](std::size_t s) {
    keys[s] = find_name_keys(json, first + span * s / slices, first + span * (s + 1) / slices);
  });

  std::vector<ByteRange> ranges;
  std::size_t start = k_none;  // where the range being measured begins
  for (const auto& slice : keys) {
    for (const std::size_t key : slice) {
      const std::size_t brace = last_before(json, key);
      if (brace == k_none || json[brace] != '{' || brace < first) continue;  // not a first key
      if (brace == first) {
        start = first;
        continue;
      }
      const std::size_t comma = last_before(json, brace);
      if (json[comma] != ',') continue;  // the first element of some nested array, or a value
      if (start == k_none) return std::nullopt;  // the first repository starts otherwise
      const std::size_t end = last_before(json, comma);
      if (end == k_none || end < start || json[end] != '}') return std::nullopt;
      ranges.push_back({start, end + 1 - start});
      start = brace;
    }
  }
  if (start == k_none) return std::nullopt;
  const std::size_t end = last_before(json, array_close);
  if (end == k_none || end < start || json[end] != '}') return std::nullopt;
  ranges.push_back({start, end + 1 - start});
  return ranges;
}

}  // namespace regsweep
