// The leaf values of a snapshot: strings, media types, timestamps, sizes, tags, statuses and
// manifest bodies, each checked with a message that says what to write instead.
#include <cctype>
#include <unordered_set>

#include "registry/snapshot/snapshot_parser.hpp"
#include "registry/snapshot/snapshot_reader.hpp"

namespace regsweep::snapshot_detail {

Status SnapshotParser::read_string(od::value& value, std::string& out) {
  const std::string_view token = value.raw_json_token();
  const char* at = token.data();
  if (auto plain = plain_string(token)) {
    out.assign(*plain);
    // Consume the value so the iterator moves on, without unescaping (a raw string is free).
    od::raw_json_string raw;
    RS_TRY_JSON(value.get_raw_json_string().get(raw), at);
    return ok_status();
  }
  od::json_type type;
  RS_TRY_JSON(value.type().get(type), at);
  if (type == od::json_type::null) return ok_status();
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
    std::string_view number = value.raw_json_token();
    while (!number.empty() && std::isspace(static_cast<unsigned char>(number.back())))
      number.remove_suffix(1);
    double seconds = 0;
    if (value.get_double().get(seconds) != simdjson::SUCCESS)
      return fail(at, std::string("bad number") + k_fix.data());
    const auto millis = epoch_seconds_to_millis(seconds);
    if (!millis) {
      return fail(at, std::string(number) + " is not a time between the years 0000 and 9999" +
                          std::string(k_fix));
    }
    out = *millis;
    return ok_status();
  }
  if (type == od::json_type::string) {
    std::string_view text;
    if (auto plain = plain_string(value.raw_json_token())) {
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
  if (text.empty()) {
    out = ImageStatus::active;
  } else if (const auto known = parse_image_status(text)) {
    out = *known;
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
}  // namespace regsweep::snapshot_detail
