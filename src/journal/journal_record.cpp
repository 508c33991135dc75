// Journal records <-> JSON lines (field names in docs/journal.md). Records are written with ECR's
// field names (registryId, repositoryName, imageDigest, imageTags, imagePushedAt,
// imageSizeInBytes); journals written before plan schema 2 (issue 15) used registry, repository,
// digest, tags, pushedAt and sizeBytes, and are read as well, so their interrupted runs still
// settle.
#include <nlohmann/json.hpp>
#include <utility>

#include "journal/journal.hpp"

namespace regsweep {
namespace {

using nlohmann::json;

Error bad(const std::string& problem) {
  return make_error(ErrorCode::invalid_input, "journal record: " + problem);
}

}  // namespace

std::string_view to_string(JournalKind kind) {
  return kind == JournalKind::intent ? "intent" : "result";
}

std::string_view to_string(JournalOutcome outcome) {
  switch (outcome) {
    case JournalOutcome::deleted:
      return "deleted";
    case JournalOutcome::failed:
      return "failed";
    case JournalOutcome::skipped:
      return "skipped";
    case JournalOutcome::gone:
      return "gone";
    case JournalOutcome::archived:
      return "archived";
    case JournalOutcome::restored:
      return "restored";
  }
  return "failed";
}

std::string_view to_string(JournalAction action) {
  switch (action) {
    case JournalAction::remove:
      return "delete";
    case JournalAction::archive:
      return "archive";
    case JournalAction::restore:
      return "restore";
    case JournalAction::put:
      return "put";
  }
  return "delete";
}

std::string to_journal_line(const JournalRecord& r) {
  json j;
  j["kind"] = to_string(r.kind);
  // Absent means delete, as in every record written before other actions existed.
  if (r.action != JournalAction::remove) j["action"] = to_string(r.action);
  j["runId"] = r.run_id;
  j["time"] = format_iso8601(r.timestamp);
  j["registryId"] = r.registry;
  j["region"] = r.region;
  j["repositoryName"] = r.repository;
  j["imageDigest"] = r.digest;
  j["imageTags"] = r.tags;
  if (r.pushed_at) j["imagePushedAt"] = format_iso8601(*r.pushed_at);
  if (r.size_bytes) j["imageSizeInBytes"] = *r.size_bytes;
  if (r.rule_priority) j["rulePriority"] = *r.rule_priority;
  j["reason"] = r.reason;
  if (r.manifest_media_type) j["manifestMediaType"] = *r.manifest_media_type;
  if (r.manifest) j["manifest"] = *r.manifest;
  if (!r.manifest_note.empty()) j["manifestNote"] = r.manifest_note;
  if (r.outcome) j["outcome"] = to_string(*r.outcome);
  if (!r.error_code.empty()) j["errorCode"] = r.error_code;
  // One line whatever the content: dump() escapes newlines; bad UTF-8 is replaced, not thrown on.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<JournalRecord> parse_journal_line(std::string_view line) {
  json j;
  try {
    j = json::parse(line.begin(), line.end());
  } catch (const json::exception& e) {
    return bad(std::string("not JSON (") + e.what() + ")");
  }
  if (!j.is_object()) return bad("not an object");
  // Journals written before issue 15: the old names, read as the new ones (a line has one or the
  // other).
  for (const auto& [old_name, name] :
       {std::pair{"registry", "registryId"}, std::pair{"repository", "repositoryName"},
        std::pair{"digest", "imageDigest"}, std::pair{"tags", "imageTags"},
        std::pair{"pushedAt", "imagePushedAt"}, std::pair{"sizeBytes", "imageSizeInBytes"}}) {
    if (const auto it = j.find(old_name); it != j.end() && !j.contains(name)) {
      j[name] = *it;
      j.erase(old_name);
    }
  }
  auto text = [&](const char* key, bool required, std::string& out) -> Status {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
      if (required) return bad(std::string(key) + " is missing");
      return ok_status();
    }
    if (!it->is_string()) return bad(std::string(key) + " is not a string");
    out = it->get<std::string>();
    return ok_status();
  };
  auto time = [&](const char* key, bool required, std::optional<EpochMillis>& out) -> Status {
    std::string value;
    if (auto s = text(key, required, value); !s) return s;
    if (value.empty()) return required ? Status(bad(std::string(key) + " is empty")) : ok_status();
    out = parse_timestamp(value);
    if (!out) return bad(std::string(key) + " '" + value + "' is not a timestamp");
    return ok_status();
  };
  JournalRecord r;
  std::string kind;
  if (auto s = text("kind", true, kind); !s) return s.error();
  if (kind == "intent") {
    r.kind = JournalKind::intent;
  } else if (kind == "result") {
    r.kind = JournalKind::result;
  } else {
    return bad("kind '" + kind + "' is not intent or result");
  }
  std::string action;
  if (auto s = text("action", false, action); !s) return s.error();
  if (action.empty() || action == "delete") {
    r.action = JournalAction::remove;
  } else if (action == "archive") {
    r.action = JournalAction::archive;
  } else if (action == "restore") {
    r.action = JournalAction::restore;
  } else if (action == "put") {
    r.action = JournalAction::put;
  } else {
    return bad("action '" + action + "' is not delete, archive, restore or put");
  }
  std::optional<EpochMillis> timestamp;
  for (auto s :
       {text("runId", false, r.run_id), time("time", true, timestamp),
        text("registryId", false, r.registry), text("region", false, r.region),
        text("repositoryName", true, r.repository), text("imageDigest", true, r.digest),
        text("reason", false, r.reason), text("errorCode", false, r.error_code),
        text("manifestNote", false, r.manifest_note), time("imagePushedAt", false, r.pushed_at)}) {
    if (!s) return s.error();
  }
  r.timestamp = *timestamp;
  if (const auto it = j.find("imageTags"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) return bad("imageTags is not an array");
    for (const auto& tag : *it) {
      if (!tag.is_string()) return bad("a tag is not a string");
      r.tags.push_back(tag.get<std::string>());
    }
  }
  if (const auto it = j.find("imageSizeInBytes"); it != j.end() && !it->is_null()) {
    if (!it->is_number_unsigned()) return bad("imageSizeInBytes is not a non-negative integer");
    r.size_bytes = it->get<std::uint64_t>();
  }
  if (const auto it = j.find("rulePriority"); it != j.end() && !it->is_null()) {
    if (!it->is_number_integer() || *it < INT32_MIN || *it > INT32_MAX)
      return bad("rulePriority is not an integer");
    r.rule_priority = it->get<int>();
  }
  std::string media_type;
  std::string manifest;
  if (auto s = text("manifestMediaType", false, media_type); !s) return s.error();
  if (j.contains("manifestMediaType")) r.manifest_media_type = media_type;
  if (auto s = text("manifest", false, manifest); !s) return s.error();
  if (j.contains("manifest")) r.manifest = manifest;
  std::string outcome;
  if (auto s = text("outcome", r.kind == JournalKind::result, outcome); !s) return s.error();
  if (outcome == "deleted") {
    r.outcome = JournalOutcome::deleted;
  } else if (outcome == "failed") {
    r.outcome = JournalOutcome::failed;
  } else if (outcome == "skipped") {
    r.outcome = JournalOutcome::skipped;
  } else if (outcome == "gone") {
    r.outcome = JournalOutcome::gone;
  } else if (outcome == "archived") {
    r.outcome = JournalOutcome::archived;
  } else if (outcome == "restored") {
    r.outcome = JournalOutcome::restored;
  } else if (!outcome.empty()) {
    return bad("outcome '" + outcome +
               "' is not deleted, failed, skipped, gone, archived or restored");
  }
  return r;
}

JournalContents parse_journal(std::string_view text) {
  JournalContents out;
  std::size_t start = 0;
  std::size_t number = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    const bool last_without_newline = end == std::string_view::npos;
    if (last_without_newline) end = text.size();
    const auto line = text.substr(start, end - start);
    start = end + 1;
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    auto record = parse_journal_line(line);
    if (record) {
      out.records.push_back(std::move(*record));
    } else {
      out.bad_lines.push_back({number, record.error().message, last_without_newline});
    }
  }
  return out;
}

}  // namespace regsweep
