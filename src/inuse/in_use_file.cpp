#include "inuse/in_use_file.hpp"

#include <nlohmann/json.hpp>

namespace regsweep {
namespace {

using nlohmann::json;

const char* kind_of(const ImageReference& reference) {
  if (!reference.bare()) return "image";
  return reference.digest.empty() ? "tag" : "digest";
}

}  // namespace

std::string to_in_use_json(const InUseSet& set, EpochMillis created_at) {
  json doc;
  doc["regsweepInUse"] = 1;
  doc["createdAt"] = format_iso8601(created_at);
  doc["sources"] = set.sources;
  json refs = json::array();
  for (const auto& entry : set.entries) {
    refs.push_back(
        {{"image", entry.raw}, {"kind", kind_of(entry.reference)}, {"source", entry.source}});
  }
  doc["references"] = std::move(refs);
  json problems = json::array();
  for (const auto& p : set.problems)
    problems.push_back({{"source", p.source}, {"message", p.message}});
  doc["problems"] = std::move(problems);
  // Invalid UTF-8 from a source is replaced rather than thrown on: the text is only for people.
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

Result<InUseSet> parse_in_use_json(std::string_view text, const std::string& name) {
  auto bad = [&](const std::string& where, const std::string& problem) -> Error {
    return make_error(ErrorCode::invalid_input,
                      name + ": " + where + ": " + problem +
                          "; write it with `regsweep inuse scan --output-file FILE`");
  };
  json doc;
  try {
    doc = json::parse(text.begin(), text.end());
  } catch (const json::exception& e) {
    return bad("document", std::string("not JSON (") + e.what() + ")");
  }
  if (!doc.is_object()) return bad("document", "not an object");
  const auto version = doc.find("regsweepInUse");
  if (version == doc.end() || !version->is_number_integer() || *version != 1) {
    return bad("regsweepInUse", "missing or not 1 (not an in-use file, or from a newer regsweep)");
  }
  InUseSet set;
  if (const auto sources = doc.find("sources"); sources != doc.end()) {
    if (!sources->is_array()) return bad("sources", "not an array");
    for (const auto& s : *sources) {
      if (!s.is_string()) return bad("sources", "an item is not a string");
      set.sources.push_back(s.get<std::string>());
    }
  }
  const auto refs = doc.find("references");
  if (refs == doc.end() || !refs->is_array()) return bad("references", "missing or not an array");
  for (std::size_t i = 0; i < refs->size(); ++i) {
    const auto& item = (*refs)[i];
    const std::string where = "references[" + std::to_string(i) + "]";
    if (!item.is_object()) return bad(where, "not an object");
    auto field = [&](const char* key) -> const json* {
      const auto it = item.find(key);
      return it != item.end() && it->is_string() ? &*it : nullptr;
    };
    const json* image = field("image");
    const json* kind = field("kind");
    const json* source = field("source");
    if (!image || !kind || !source) return bad(where, "needs string fields image, kind and source");
    const std::string kind_text = kind->get<std::string>();
    if (kind_text != "image" && kind_text != "tag" && kind_text != "digest") {
      return bad(where + ".kind", "'" + kind_text + "' is not image, tag or digest");
    }
    auto status =
        set.add(image->get<std::string>(), source->get<std::string>(), kind_text == "tag");
    if (!status) return bad(where + ".image", status.error().message);
    if (kind_of(set.entries.back().reference) != kind_text) {
      return bad(where + ".kind",
                 "the image parses as kind " + std::string(kind_of(set.entries.back().reference)));
    }
  }
  if (const auto problems = doc.find("problems"); problems != doc.end()) {
    if (!problems->is_array()) return bad("problems", "not an array");
    for (const auto& p : *problems) {
      if (!p.is_object()) return bad("problems", "an item is not an object");
      const auto s = p.find("source");
      const auto m = p.find("message");
      set.problems.push_back({s != p.end() && s->is_string() ? s->get<std::string>() : "",
                              m != p.end() && m->is_string() ? m->get<std::string>() : ""});
    }
  }
  return set;
}

}  // namespace regsweep
