#include "registry/snapshot/snapshot_parser.hpp"

#include <cstring>
#include <unordered_map>
#include <unordered_set>

namespace regsweep::snapshot_detail {

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

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

bool has_escape(const char* text, std::size_t length) {
  return std::memchr(text, '\\', length) != nullptr;
}

}  // namespace

// Reading in place keeps simdjson from copying every string of a 300 MB file into its unescape
// buffer, which would cost as much memory as the file. The token's end comes from simdjson's
// structural index (the next `,` `:` `]` `}`), so only a memchr for a backslash is left to do.
std::optional<std::string_view> plain_string(std::string_view token) {
  std::size_t end = token.size();
  while (end > 0 && is_space(token[end - 1])) --end;
  if (end < 2 || token.front() != '"' || token[end - 1] != '"') return std::nullopt;
  const std::string_view content = token.substr(1, end - 2);
  if (has_escape(content.data(), content.size())) return std::nullopt;
  return content;
}

// The key's closing quote is found from the value's first byte, back over `" :` and spaces (the
// colon is structural, so the last quote before it closes the key even when the key has escapes).
simdjson::error_code member(simdjson::simdjson_result<od::field> result, std::string_view& key,
                            od::value& value) {
  od::field field;
  if (auto error = std::move(result).get(field); error != simdjson::SUCCESS) return error;
  value = field.value();
  const char* start = field.key().raw();  // just after the opening quote
  const char* end = value.raw_json_token().data();
  while (end > start && is_space(end[-1])) --end;
  if (end > start && end[-1] == ':') {
    --end;
    while (end > start && is_space(end[-1])) --end;
    if (end > start && end[-1] == '"') {
      const auto length = static_cast<std::size_t>(end - 1 - start);
      if (!has_escape(start, length)) {
        key = std::string_view(start, length);
        return simdjson::SUCCESS;
      }
    }
  }
  return field.unescaped_key().get(key);
}

bool is_null(od::value& value) {
  bool null = false;
  return value.is_null().get(null) == simdjson::SUCCESS && null;
}

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
    std::string_view key;
    od::value value;
    RS_TRY_JSON(member(std::move(field_result), key, value), nullptr);
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

Status SnapshotParser::parse_repository(od::parser& parser, ByteRange range_bytes,
                                        std::size_t index, Repository& out) {
  // The element's text is followed by the rest of the document and its padding, so it is padded
  // as simdjson needs; token pointers stay inside the whole document.
  const simdjson::padded_string_view range(m_json.data() + range_bytes.offset, range_bytes.length,
                                           m_json.capacity() - range_bytes.offset);
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
    std::string_view key;
    od::value item;
    RS_TRY_JSON(member(std::move(field_result), key, item), nullptr);
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
    std::string_view key;
    od::value item;
    RS_TRY_JSON(member(std::move(field_result), key, item), nullptr);
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

std::optional<std::vector<ByteRange>> structural_repository_ranges(
    simdjson::padded_string_view json) {
  od::parser parser;
  od::document doc;
  od::object root;
  if (parser.iterate(json).get(doc) != simdjson::SUCCESS ||
      doc.get_object().get(root) != simdjson::SUCCESS)
    return std::nullopt;
  std::vector<ByteRange> ranges;
  bool seen = false;
  for (auto field_result : root) {
    std::string_view key;
    od::value value;
    if (member(std::move(field_result), key, value) != simdjson::SUCCESS || key == "imageDetails")
      return std::nullopt;
    if (key != "repositories") continue;  // the iterator skips the value
    od::array array;
    if (seen || value.get_array().get(array) != simdjson::SUCCESS) return std::nullopt;
    seen = true;
    for (auto item_result : array) {
      od::object object;
      std::string_view raw;
      if (item_result.get_object().get(object) != simdjson::SUCCESS ||
          object.raw_json().get(raw) != simdjson::SUCCESS)
        return std::nullopt;
      ranges.push_back({static_cast<std::size_t>(raw.data() - json.data()), raw.size()});
    }
  }
  if (const char* loc = nullptr; !seen || doc.current_location().get(loc) == simdjson::SUCCESS)
    return std::nullopt;
  return ranges;
}

}  // namespace regsweep::snapshot_detail
