#include "registry/snapshot/snapshot_reader.hpp"

#include <algorithm>
#include <atomic>
#include <iostream>
#include <iterator>
#include <thread>
#include <unordered_set>

#include "registry/snapshot/mapped_file.hpp"
#include "registry/snapshot/repository_split.hpp"
#include "registry/snapshot/snapshot_parser.hpp"
#include "util/input_file.hpp"
#include "util/parallel.hpp"

namespace regsweep {
namespace {

using snapshot_detail::SnapshotParser;
namespace od = simdjson::ondemand;

// Parses the repositories at `ranges` on up to `threads` threads, each into its own slot, keeping
// file order. nullopt on anything wrong (a range that is not exactly one valid repository, a name
// twice): the caller then tries another way, and in the end the serial parse reports the error,
// so messages stay exactly those of the serial parse (the first problem in file order).
std::optional<Inventory> parse_ranges(std::string_view source, simdjson::padded_string_view json,
                                      const std::vector<ByteRange>& ranges, int threads) {
  const std::size_t count = ranges.size();
  std::vector<Repository> repositories(count);
  std::atomic<bool> failed{false};
  // One parser (and its buffers) per thread, taking blocks of repositories in turn.
  static constexpr std::size_t k_block = 16;
  const std::size_t blocks = (count + k_block - 1) / k_block;
  std::atomic<std::size_t> next_block{0};
  parallel_for(static_cast<std::size_t>(threads), threads, [&](std::size_t) {
    od::parser parser;
    SnapshotParser reader(source, json);
    for (std::size_t block = next_block++; block < blocks && !failed; block = next_block++) {
      const std::size_t end = std::min(count, (block + 1) * k_block);
      for (std::size_t i = block * k_block; i < end && !failed.load(std::memory_order_relaxed);
           ++i) {
        if (!reader.parse_repository(parser, ranges[i], i, repositories[i]).ok()) failed = true;
      }
    }
  });
  if (failed) return std::nullopt;
  std::unordered_set<std::string_view> names;
  names.reserve(count);
  for (const auto& repository : repositories) {
    if (!names.insert(repository.name).second) return std::nullopt;
  }
  Inventory inventory;
  inventory.repositories = std::move(repositories);
  return inventory;
}

bool same_ranges(const std::vector<ByteRange>& a, const std::vector<ByteRange>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](ByteRange x, ByteRange y) {
    return x.offset == y.offset && x.length == y.length;
  });
}

// Repositories are independent, so the common shape is parsed on 2 threads (the machine this is
// sized for has 2 cores). Their ranges come first from a text search (repository_split.hpp; tens
// of milliseconds for 350 MB), else from simdjson's structural index (a full single-threaded
// pass); anything else, and any error, goes to the serial parse.
Result<Inventory> parse_document(std::string_view source, simdjson::padded_string_view json) {
  const int threads = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 2u));
  const auto split = split_repositories(std::string_view(json), threads);
  if (split) {
    if (auto inventory = parse_ranges(source, json, *split, threads)) return std::move(*inventory);
  }
  // The search may have cut at an object nested in a repository: the structural ranges are exact.
  // When they are the same ranges, the content itself is wrong and the serial parse says where.
  if (auto ranges = snapshot_detail::structural_repository_ranges(json)) {
    if (!split || !same_ranges(*split, *ranges)) {
      if (auto inventory = parse_ranges(source, json, *ranges, threads))
        return std::move(*inventory);
    }
  }
  return SnapshotParser(source, json).run();
}

}  // namespace

Result<Inventory> parse_snapshot(std::string_view json, std::string_view source_name) {
  simdjson::padded_string padded(json);
  return parse_document(source_name, padded);
}

Result<Inventory> load_snapshot(const std::string& path) {
  if (path != "-") {
    MappedFile file;
    if (file.map(path)) return parse_document(path, file.view());
  }
  // Standard input, or a file too close to a page boundary to map with simdjson's padding (or
  // not a regular file, which the reader refuses with a message).
  auto text = read_input_file("", path, k_snapshot_max_bytes);
  if (!text) return std::move(text).take_error();
  simdjson::padded_string padded(*text);
  return parse_document(path == "-" ? "<stdin>" : path, padded);
}

}  // namespace regsweep
