// The snapshot parser proper, internal to this folder: snapshot_reader.cpp drives it (one pass over
// a whole document, or one repository at a time on several threads), snapshot_parser.cpp reads the
// structure (document, repositories, images) and snapshot_values.cpp the leaf values. Strings
// without escapes are read in place; a JSON path is kept as a few segments and formatted only
// when an error is reported.
#pragma once

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/image.hpp"
#include "registry/snapshot/repository_split.hpp"
#include "util/result.hpp"

namespace regsweep::snapshot_detail {

namespace od = simdjson::ondemand;

// A JSON path kept as a few fixed segments and formatted only when an error is reported, so that a
// million images do not pay for string building.
struct Segment {
  std::string_view key;          // member name, empty for none
  std::size_t index = SIZE_MAX;  // array index after the key, SIZE_MAX for none
};

// The path being read. A snapshot's deepest is repositories[i].imageDetails[j].imageTags[k] (four
// segments), so a fixed array serves: pushing is two stores, no allocation. Segments past the
// capacity are counted but not kept, and never reported.
class PathStack {
 public:
  void push(std::string_view key, std::size_t index) {
    if (m_size < k_capacity) m_segments[m_size] = {key, index};
    ++m_size;
  }
  void pop() { --m_size; }
  void clear() { m_size = 0; }
  // The innermost kept segment (call only after a push).
  Segment& back() { return m_segments[std::min(m_size, k_capacity) - 1]; }
  const Segment* begin() const { return m_segments.data(); }
  const Segment* end() const { return m_segments.data() + std::min(m_size, k_capacity); }

 private:
  static constexpr std::size_t k_capacity = 8;
  std::array<Segment, k_capacity> m_segments{};
  std::size_t m_size = 0;
};

// "an array", "a string", ... for messages.
std::string_view type_name(od::json_type type);

// The content of a string token, as raw_json_token() gives it (the quoted text and the spaces
// after it), read in place; nullopt when it has escapes (the caller then unescapes with
// get_string()) or is not a string.
std::optional<std::string_view> plain_string(std::string_view token);

// One member of an object being iterated (`for (auto result : object)`): its name, read in place
// when it has no escapes, and its value.
simdjson::error_code member(simdjson::simdjson_result<od::field> result, std::string_view& key,
                            od::value& value);

bool is_null(od::value& value);

class SnapshotParser {
 public:
  SnapshotParser(std::string_view source, simdjson::padded_string_view json)
      : m_source(source), m_json(json) {}

  Result<Inventory> run();

  // Parses one element of the top-level "repositories" array, the bytes at `range` of the
  // document, exactly as run() would (path repositories[index]), with `parser` reused across
  // calls; also checks its digests are unique.
  Status parse_repository(od::parser& parser, ByteRange range, std::size_t index, Repository& out);

 private:
  // "file:line:col: path: message" (line/col omitted when `at` is null).
  Error fail(const char* at, std::string_view message) const;
  Error fail_json(simdjson::error_code code, const char* at) const;
  const char* where(od::value& value) const;

  Status read_repositories(od::value& value, Inventory& out);
  Status read_repository(od::value& value, Repository& out);
  // For describe-images output, `owners` collects each image's repositoryName and registryId.
  struct Owner {
    std::string repository;
    std::string registry_id;
  };
  Status read_image_list(od::value& value, std::vector<ImageRecord>& images,
                         std::vector<Owner>* owners);
  Status read_image(od::value& value, ImageRecord& out, Owner* owner);
  Status read_string(od::value& value, std::string& out);
  // A media type: interned, and the previous image's value reused when it is the same text (the
  // common case), so that most images cost neither a lookup nor an allocation.
  Status read_interned(od::value& value, InternedString& last, InternedString& out);
  Status read_time(od::value& value, EpochMillis& out);
  Status read_size(od::value& value, std::uint64_t& out);
  Status read_tags(od::value& value, std::vector<std::string>& out);
  Status read_status(od::value& value, ImageStatus& out);
  Status read_manifest(od::value& value, ImageRecord& out);
  Status check_unique_digests(const Repository& repo, std::size_t repo_index, bool top_level);

  void push(std::string_view key, std::size_t index = SIZE_MAX) { m_path.push(key, index); }
  void pop() { m_path.pop(); }
  std::string path_string() const;

  std::string_view m_source;
  simdjson::padded_string_view m_json;
  od::document* m_doc = nullptr;
  PathStack m_path;
  InternedString m_last_manifest_type, m_last_artifact_type;
  std::string m_scratch;
};

// The byte ranges of the elements of the document's top-level "repositories" array, found by
// simdjson's structural index (skipping an element does not parse it). nullopt unless the document
// is the common snapshot shape: one object, one "repositories" array of objects, no
// "imageDetails", nothing after it.
std::optional<std::vector<ByteRange>> structural_repository_ranges(
    simdjson::padded_string_view json);

}  // namespace regsweep::snapshot_detail

#define RS_TRY_JSON(expr, at)                                    \
  do {                                                           \
    if (auto rs_code_ = (expr); rs_code_ != simdjson::SUCCESS) { \
      return fail_json(rs_code_, at);                            \
    }                                                            \
  } while (0)

#define RS_TRY(expr)                                  \
  do {                                                \
    if (auto rs_status_ = (expr); !rs_status_.ok()) { \
      return std::move(rs_status_).take_error();      \
    }                                                 \
  } while (0)
