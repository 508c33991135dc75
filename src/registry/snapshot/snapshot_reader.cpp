#include "registry/snapshot/snapshot_reader.hpp"

#include <simdjson.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "registry/snapshot/mapped_file.hpp"
#include "util/parallel.hpp"

namespace regsweep {
namespace {

namespace od = simdjson::ondemand;

// A JSON path kept as a few fixed segments and formatted only when an error is reported, so that a
// million images do not pay for string building.
struct Segment {
  std::string_view key;          // member name, empty for none
  std::size_t index = SIZE_MAX;  // array index after the key, SIZE_MAX for none
};

std::string_view type_name(od::json_type type) {
  switch (type) {
    case od::json_type::array:
      return "an array";
    case od::json_type::object:
      return "an object";
    case od::json_type::number:
      return "a number";
    case od::json_type::string:
      return "a string";
    case od::json_type::boolean:
      return "a boolean";
    case od::json_type::null:
      return "null";
  }
  return "a value";
}

// The content of a JSON string token that has no escapes, read in place; nullopt when it has
// escapes (then the caller unescapes with get_string()). Reading in place keeps simdjson from
// copying every string of a 300 MB file into its unescape buffer, which would cost as much memory
// as the file.
std::optional<std::string_view> plain_string(const char* quote) {
  if (quote == nullptr || *quote != '"') return std::nullopt;
  const char* p = quote + 1;
  while (*p != '"' && *p != '\\') ++p;  // the padding after the document stops a runaway scan
  if (*p == '\\') return std::nullopt;
  return std::string_view(quote + 1, static_cast<std::size_t>(p - (quote + 1)));
}

// A member name without copying it when it has no escapes.
simdjson::error_code field_key(od::field& field, std::string_view& key) {
  const char* raw = field.key().raw();
  if (auto plain = plain_string(raw - 1)) {
    key = *plain;
    return simdjson::SUCCESS;
  }
  return field.unescaped_key().get(key);
}

bool is_null(od::value& value) {
  bool null = false;
  return value.is_null().get(null) == simdjson::SUCCESS && null;
}

class SnapshotParser {
 public:
  SnapshotParser(std::string_view source, simdjson::padded_string_view json)
      : m_source(source), m_json(json) {}

  Result<Inventory> run();

  // Parses one element of the top-level "repositories" array, the `length` bytes at `offset` of
  // the document, exactly as run() would (path repositories[index]), with `parser` reused across
  // calls; also checks its digests are unique.
  Status parse_repository(od::parser& parser, std::size_t offset, std::size_t length,
                          std::size_t index, Repository& out);

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

  void push(std::string_view key, std::size_t index = SIZE_MAX) { m_path.push_back({key, index}); }
  void pop() { m_path.pop_back(); }
  std::string path_string() const;

  std::string_view m_source;
  simdjson::padded_string_view m_json;
  od::document* m_doc = nullptr;
  std::vector<Segment> m_path;
  InternedString m_last_manifest_type, m_last_artifact_type;
  std::string m_scratch;
};

std::string SnapshotParser::path_string() const {
  std::string out;
  for (const auto& seg : m_path) {
    if (!seg.key.empty()) {
      if (!out.empty()) out += '.';
      out += seg.key;
    }
    if (seg.index != SIZE_MAX) out += '[' + std::to_string(seg.index) + ']';
  }
  return out.empty() ? "(document)" : out;
}

Error SnapshotParser::fail(const char* at, std::string_view message) const {
  std::string text(m_source);
  const char* begin = m_json.data();
  if (at != nullptr && at >= begin && at <= begin + m_json.size()) {
    std::size_t line = 1;
    const char* line_start = begin;
    for (const char* p = begin; p < at; ++p) {
      if (*p == '\n') {
        ++line;
        line_start = p + 1;
      }
    }
    text += ':' + std::to_string(line) + ':' + std::to_string(at - line_start + 1);
  }
  text += ": " + path_string() + ": ";
  text += message;
  return make_error(ErrorCode::invalid_input, std::move(text));
}

Error SnapshotParser::fail_json(simdjson::error_code code, const char* at) const {
  if (at == nullptr && m_doc != nullptr) {
    const char* loc = nullptr;
    if (m_doc->current_location().get(loc) == simdjson::SUCCESS) at = loc;
  }
  return fail(at, std::string("not valid JSON here (") + simdjson::error_message(code) +
                      "); check the file is complete, e.g. with `python3 -m json.tool FILE`");
}

const char* SnapshotParser::where(od::value& value) const {
  return value.raw_json_token().data();
}

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

Result<Inventory> SnapshotParser::run() {
  od::parser parser;
  od::document doc;
  RS_TRY_JSON(parser.iterate(m_json).get(doc), m_json.data());
  m_doc = &doc;
  od::object root;
  if (doc.get_object().get(root) != simdjson::SUCCESS) {
    return fail(
        m_json.data(),
        "expected an object with \"repositories\" (a snapshot) or \"imageDetails\" (`aws ecr "
        "describe-images` output); see docs/snapshot-format.md");
  }
  Inventory inventory;
  bool seen_repositories = false, seen_details = false;
  for (auto field_result : root) {
    od::field field;
    RS_TRY_JSON(std::move(field_result).get(field), nullptr);
    std::string_view key;
    RS_TRY_JSON(field_key(field, key), nullptr);
    od::value value = field.value();
    if (key == "repositories") {
      seen_repositories = true;
      push("repositories");
      RS_TRY(read_repositories(value, inventory));
      pop();
    } else if (key == "imageDetails") {
      seen_details = true;
      push("imageDetails");
      std::vector<ImageRecord> images;
      std::vector<Owner> owners;
      RS_TRY(read_image_list(value, images, &owners));
      pop();
      // describe-images output: group by each imageDetail's repositoryName, in order of appearance.
      std::unordered_map<std::string_view, std::size_t> index_of;
      for (std::size_t i = 0; i < images.size(); ++i) {
        auto [it, fresh] =
            index_of.try_emplace(owners[i].repository, inventory.repositories.size());
        if (fresh)
          inventory.repositories.push_back(
              Repository{owners[i].repository, owners[i].registry_id, "", {}});
        inventory.repositories[it->second].images.push_back(std::move(images[i]));
      }
      for (std::size_t r = 0; r < inventory.repositories.size(); ++r) {
        RS_TRY(check_unique_digests(inventory.repositories[r], r, true));
      }
    }
  }
  if (seen_repositories && seen_details) {
    return fail(nullptr,
                "has both \"repositories\" and \"imageDetails\"; keep one of the two shapes");
  }
  if (!seen_repositories && !seen_details) {
    return fail(
        m_json.data(),
        "has neither \"repositories\" (a snapshot) nor \"imageDetails\" (`aws ecr describe-images` "
        "output); see docs/snapshot-format.md");
  }
  // current_location() fails with OUT_OF_BOUNDS exactly when nothing follows the top-level value.
  if (const char* loc = nullptr; doc.current_location().get(loc) == simdjson::SUCCESS) {
    return fail(
        loc, "unexpected content after the top-level object; the file must hold one JSON object");
  }
  return inventory;
}

Status SnapshotParser::parse_repository(od::parser& parser, std::size_t offset, std::size_t length,
                                        std::size_t index, Repository& out) {
  // The element's text is followed by the rest of the document and its padding, so it is padded
  // as simdjson needs; token pointers stay inside the whole document.
  const simdjson::padded_string_view range(m_json.data() + offset, length,
                                           m_json.capacity() - offset);
  od::document doc;
  RS_TRY_JSON(parser.iterate(range).get(doc), range.data());
  m_doc = &doc;
  m_path.clear();
  push("repositories", index);
  od::value value;
  RS_TRY_JSON(doc.get_value().get(value), range.data());
  RS_TRY(read_repository(value, out));
  if (const char* loc = nullptr; doc.current_location().get(loc) == simdjson::SUCCESS)
    return fail(loc, "unexpected content after the repository");
  m_doc = nullptr;
  return check_unique_digests(out, index, false);
}

Status SnapshotParser::read_repositories(od::value& value, Inventory& out) {
  const char* at = where(value);
  od::array array;
  if (value.get_array().get(array) != simdjson::SUCCESS) {
    return fail(
        at,
        "expected an array of repositories; write \"repositories\": [{\"repositoryName\": ...}]");
  }
  std::unordered_set<std::string> names;
  std::size_t index = 0;
  for (auto item_result : array) {
    m_path.back().index = index;
    od::value item;
    RS_TRY_JSON(std::move(item_result).get(item), nullptr);
    Repository repo;
    RS_TRY(read_repository(item, repo));
    if (!names.insert(repo.name).second) {
      return fail(nullptr, "repository \"" + repo.name +
                               "\" appears twice; merge its imageDetails into one entry");
    }
    RS_TRY(check_unique_digests(repo, index, false));
    out.repositories.push_back(std::move(repo));
    ++index;
  }
  m_path.back().index = SIZE_MAX;
  return ok_status();
}

Status SnapshotParser::read_repository(od::value& value, Repository& out) {
  const char* at = where(value);
  od::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) {
    return fail(at,
                "expected a repository object; write {\"repositoryName\": \"app\", "
                "\"imageDetails\": [...]}");
  }
  bool has_name = false, has_details = false;
  for (auto field_result : object) {
    od::field field;
    RS_TRY_JSON(std::move(field_result).get(field), nullptr);
    std::string_view key;
    RS_TRY_JSON(field_key(field, key), nullptr);
    od::value item = field.value();
    if (key == "repositoryName") {
      push("repositoryName");
      RS_TRY(read_string(item, out.name));
      pop();
      has_name = !out.name.empty();
    } else if (key == "registryId") {
      push("registryId");
      RS_TRY(read_string(item, out.registry_id));
      pop();
    } else if (key == "region") {
      push("region");
      RS_TRY(read_string(item, out.region));
      pop();
    } else if (key == "imageDetails") {
      has_details = true;
      push("imageDetails");
      RS_TRY(read_image_list(item, out.images, nullptr));
      pop();
    }
  }
  if (!has_name)
    return fail(at, "repositoryName is missing or empty; add \"repositoryName\": \"<name>\"");
  if (!has_details) {
    return fail(at,
                "imageDetails is missing; add \"imageDetails\": [] (empty when the repository has "
                "no images)");
  }
  return ok_status();
}

Status SnapshotParser::read_image_list(od::value& value, std::vector<ImageRecord>& images,
                                       std::vector<Owner>* owners) {
  const char* at = where(value);
  od::array array;
  if (value.get_array().get(array) != simdjson::SUCCESS) {
    return fail(at, "expected an array of imageDetail objects, as DescribeImages returns them");
  }
  // Counting first (a cheap pass over the structure) lets the vector be allocated once, exactly.
  std::size_t count = 0;
  if (array.count_elements().get(count) == simdjson::SUCCESS) images.reserve(images.size() + count);
  std::size_t index = 0;
  for (auto item_result : array) {
    m_path.back().index = index;
    od::value item;
    RS_TRY_JSON(std::move(item_result).get(item), nullptr);
    ImageRecord& image = images.emplace_back();
    Owner owner;
    RS_TRY(read_image(item, image, owners ? &owner : nullptr));
    if (owners) owners->push_back(std::move(owner));
    ++index;
  }
  m_path.back().index = SIZE_MAX;
  return ok_status();
}

Status SnapshotParser::read_image(od::value& value, ImageRecord& out, Owner* owner) {
  const char* at = where(value);
  od::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) {
    return fail(at, "expected an imageDetail object with imageDigest and imagePushedAt");
  }
  bool has_pushed = false;
  for (auto field_result : object) {
    od::field field;
    RS_TRY_JSON(std::move(field_result).get(field), nullptr);
    std::string_view key;
    RS_TRY_JSON(field_key(field, key), nullptr);
    od::value item = field.value();
    Status status = ok_status();
    push(key);
    if (key == "imageDigest") {
      status = read_string(item, out.digest);
    } else if (key == "imageTags") {
      status = read_tags(item, out.tags);
    } else if (key == "imagePushedAt") {
      has_pushed = !is_null(item);
      if (has_pushed) status = read_time(item, out.pushed_at);
    } else if (key == "imageSizeInBytes") {
      status = read_size(item, out.size_bytes);
    } else if (key == "lastRecordedPullTime" || key == "lastArchivedAt" ||
               key == "lastActivatedAt") {
      if (!is_null(item)) {
        EpochMillis t = 0;
        status = read_time(item, t);
        (key == "lastRecordedPullTime" ? out.last_pulled_at
         : key == "lastArchivedAt"     ? out.last_archived_at
                                       : out.last_activated_at) = t;
      }
    } else if (key == "imageStatus") {
      status = read_status(item, out.status);
    } else if (key == "imageManifestMediaType") {
      status = read_interned(item, m_last_manifest_type, out.manifest_media_type);
    } else if (key == "artifactMediaType") {
      status = read_interned(item, m_last_artifact_type, out.artifact_media_type);
    } else if (key == "imageManifest") {
      status = read_manifest(item, out);
    } else if (key == "subjectManifestDigest") {
      std::string subject;
      status = read_string(item, subject);
      if (status.ok() && !subject.empty() && !out.subject_digest)
        out.subject_digest = std::move(subject);
    } else if (key == "repositoryName" && owner != nullptr) {
      status = read_string(item, owner->repository);
    } else if (key == "registryId" && owner != nullptr) {
      status = read_string(item, owner->registry_id);
    }
    pop();
    if (!status.ok()) return status;
  }
  if (out.digest.empty()) {
    return fail(
        at,
        "imageDigest is missing or empty; every image needs its \"imageDigest\": \"sha256:...\"");
  }
  if (!has_pushed) {
    return fail(at, "imagePushedAt is missing; add it as epoch seconds or an ISO 8601 string");
  }
  if (owner != nullptr && owner->repository.empty()) {
    return fail(at,
                "repositoryName is missing; `aws ecr describe-images` output names it in every "
                "imageDetail, "
                "or use the {\"repositories\": [{\"repositoryName\": ..., \"imageDetails\": "
                "[...]}]} shape");
  }
  return ok_status();
}

Status SnapshotParser::read_string(od::value& value, std::string& out) {
  const char* at = where(value);
  od::json_type type;
  RS_TRY_JSON(value.type().get(type), at);
  if (type == od::json_type::null) return ok_status();
  if (type == od::json_type::string) {
    if (auto plain = plain_string(at)) {
      out.assign(*plain);
      // Consume the value so the iterator moves on, without unescaping (a raw string is free).
      od::raw_json_string raw;
      RS_TRY_JSON(value.get_raw_json_string().get(raw), at);
      return ok_status();
    }
  }
  std::string_view text;
  if (type != od::json_type::string || value.get_string().get(text) != simdjson::SUCCESS) {
    return fail(at, std::string("expected a string, got ") + std::string(type_name(type)) +
                        "; quote the value");
  }
  out.assign(text);
  return ok_status();
}

Status SnapshotParser::read_interned(od::value& value, InternedString& last, InternedString& out) {
  if (is_null(value)) return ok_status();  // as read_string(): null counts as absent
  m_scratch.clear();
  RS_TRY(read_string(value, m_scratch));
  if (!(last == m_scratch)) last = InternedString(m_scratch);
  out = last;
  return ok_status();
}

Status SnapshotParser::read_time(od::value& value, EpochMillis& out) {
  const char* at = where(value);
  od::json_type type;
  RS_TRY_JSON(value.type().get(type), at);
  static constexpr std::string_view k_fix =
      "; write epoch seconds (1714564800) or ISO 8601 (\"2024-05-01T12:00:00Z\")";
  if (type == od::json_type::number) {
    double seconds = 0;
    if (value.get_double().get(seconds) != simdjson::SUCCESS)
      return fail(at, std::string("bad number") + k_fix.data());
    out = epoch_seconds_to_millis(seconds);
    return ok_status();
  }
  if (type == od::json_type::string) {
    std::string_view text;
    if (auto plain = plain_string(at)) {
      text = *plain;
      od::raw_json_string raw;
      RS_TRY_JSON(value.get_raw_json_string().get(raw), at);
    } else {
      RS_TRY_JSON(value.get_string().get(text), at);
    }
    if (auto t = parse_timestamp(text)) {
      out = *t;
      return ok_status();
    }
    return fail(at, "\"" + std::string(text) + "\" is not a timestamp" + std::string(k_fix));
  }
  return fail(at, "expected a timestamp, got " + std::string(type_name(type)) + std::string(k_fix));
}

Status SnapshotParser::read_size(od::value& value, std::uint64_t& out) {
  const char* at = where(value);
  od::json_type type;
  RS_TRY_JSON(value.type().get(type), at);
  if (type == od::json_type::null) return ok_status();
  if (type != od::json_type::number || value.get_uint64().get(out) != simdjson::SUCCESS) {
    return fail(at, "expected a whole, non-negative number of bytes; write e.g. 48318255");
  }
  return ok_status();
}

Status SnapshotParser::read_tags(od::value& value, std::vector<std::string>& out) {
  const char* at = where(value);
  od::json_type type;
  RS_TRY_JSON(value.type().get(type), at);
  if (type == od::json_type::null) return ok_status();
  od::array array;
  if (type != od::json_type::array || value.get_array().get(array) != simdjson::SUCCESS) {
    return fail(
        at, "expected an array of tag strings; write [\"v1.2.3\", \"latest\"], or [] for untagged");
  }
  std::size_t index = 0;
  for (auto item_result : array) {
    od::value item;
    RS_TRY_JSON(std::move(item_result).get(item), nullptr);
    m_path.back().index = index++;
    std::string tag;
    RS_TRY(read_string(item, tag));
    if (tag.empty()) return fail(where(item), "a tag is empty or null; remove it");
    out.push_back(std::move(tag));
  }
  m_path.back().index = SIZE_MAX;
  return ok_status();
}

Status SnapshotParser::read_status(od::value& value, ImageStatus& out) {
  const char* at = where(value);
  std::string text;
  RS_TRY(read_string(value, text));
  if (text.empty() || text == "ACTIVE") {
    out = ImageStatus::active;
  } else if (text == "ARCHIVED") {
    out = ImageStatus::archived;
  } else if (text == "ACTIVATING") {
    out = ImageStatus::activating;
  } else {
    return fail(at, "\"" + text + "\" is not an image status; use ACTIVE, ARCHIVED or ACTIVATING");
  }
  return ok_status();
}

Status SnapshotParser::read_manifest(od::value& value, ImageRecord& out) {
  const char* at = where(value);
  std::string text;
  RS_TRY(read_string(value, text));
  if (text.empty()) return ok_status();
  auto refs = read_manifest_refs(text);
  if (!refs.ok()) {
    return fail(at, "the manifest body is not usable (" + refs.error().message +
                        "); store the exact string BatchGetImage returns, or drop imageManifest");
  }
  out.child_digests = std::move(refs->children);
  if (refs->subject) out.subject_digest = std::move(refs->subject);
  out.manifest = std::move(text);
  return ok_status();
}

Status SnapshotParser::check_unique_digests(const Repository& repo, std::size_t repo_index,
                                            bool top_level) {
  std::unordered_set<std::string_view> seen;
  seen.reserve(repo.images.size());
  for (const auto& image : repo.images) {
    if (!seen.insert(image.digest).second) {
      std::string where =
          top_level ? "imageDetails" : "repositories[" + std::to_string(repo_index) + "]";
      return make_error(ErrorCode::invalid_input, std::string(m_source) + ": " + where +
                                                      ": repository \"" + repo.name +
                                                      "\" lists image " + image.digest +
                                                      " twice; keep one imageDetail per digest");
    }
  }
  return ok_status();
}

// The byte ranges (offset, length) of the elements of the document's top-level "repositories"
// array, found by simdjson's structural index alone (skipping an element does not parse it).
// nullopt unless the document is the common snapshot shape: one object, one "repositories" array of
// objects, no "imageDetails", nothing after it.
std::optional<std::vector<std::pair<std::size_t, std::size_t>>> repository_ranges(
    simdjson::padded_string_view json) {
  od::parser parser;
  od::document doc;
  od::object root;
  if (parser.iterate(json).get(doc) != simdjson::SUCCESS ||
      doc.get_object().get(root) != simdjson::SUCCESS)
    return std::nullopt;
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  bool seen = false;
  for (auto field_result : root) {
    od::field field;
    std::string_view key;
    if (std::move(field_result).get(field) != simdjson::SUCCESS ||
        field_key(field, key) != simdjson::SUCCESS || key == "imageDetails")
      return std::nullopt;
    if (key != "repositories") continue;  // the iterator skips the value
    od::array array;
    if (seen || field.value().get_array().get(array) != simdjson::SUCCESS) return std::nullopt;
    seen = true;
    for (auto item_result : array) {
      od::object object;
      std::string_view raw;
      if (item_result.get_object().get(object) != simdjson::SUCCESS ||
          object.raw_json().get(raw) != simdjson::SUCCESS)
        return std::nullopt;
      ranges.emplace_back(static_cast<std::size_t>(raw.data() - json.data()), raw.size());
    }
  }
  if (const char* loc = nullptr; !seen || doc.current_location().get(loc) == simdjson::SUCCESS)
    return std::nullopt;
  return ranges;
}

// The parallel parse of the common shape: repositories are independent, so their elements are
// parsed on up to 2 threads (the machine this is sized for has 2 cores) into their own slots,
// keeping file order. nullopt on anything unusual or wrong: the caller then runs the serial parse,
// which is the one that reports errors, so messages stay exactly those of the serial parse (the
// first problem in file order).
std::optional<Inventory> parse_parallel(std::string_view source,
                                        simdjson::padded_string_view json) {
  auto ranges = repository_ranges(json);
  if (!ranges) return std::nullopt;
  const std::size_t count = ranges->size();
  std::vector<Repository> repositories(count);
  std::atomic<bool> failed{false};
  // Blocks of repositories, so that a parser (and its buffers) serves many of them.
  static constexpr std::size_t k_block = 16;
  const int threads = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 2u));
  parallel_for((count + k_block - 1) / k_block, threads, [&](std::size_t block) {
    od::parser parser;
    SnapshotParser reader(source, json);
    const std::size_t end = std::min(count, (block + 1) * k_block);
    for (std::size_t i = block * k_block; i < end && !failed.load(std::memory_order_relaxed); ++i) {
      const auto [offset, length] = (*ranges)[i];
      if (!reader.parse_repository(parser, offset, length, i, repositories[i]).ok()) failed = true;
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

Result<Inventory> parse_document(std::string_view source, simdjson::padded_string_view json) {
  if (auto inventory = parse_parallel(source, json)) return std::move(*inventory);
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
  simdjson::padded_string padded;
  if (path == "-") {
    std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    padded = simdjson::padded_string(text);
  } else if (auto error = simdjson::padded_string::load(path).get(padded);
             error != simdjson::SUCCESS) {
    return make_error(ErrorCode::invalid_input, path + ": cannot read the snapshot file (" +
                                                    simdjson::error_message(error) +
                                                    "); check the path and permissions");
  }
  return parse_document(path == "-" ? "<stdin>" : path, padded);
}

}  // namespace regsweep
