// read_manifest_refs (snapshot_reader.hpp): the digests an imageManifest string of a snapshot
// refers to, read with simdjson like the rest of the snapshot.
#include <simdjson.h>

#include "registry/snapshot/snapshot_reader.hpp"

namespace regsweep {

namespace od = simdjson::ondemand;

Result<ManifestRefs> read_manifest_refs(std::string_view manifest) {
  simdjson::padded_string padded(manifest);
  od::parser parser;
  od::document doc;
  od::object root;
  if (parser.iterate(padded).get(doc) != simdjson::SUCCESS ||
      doc.get_object().get(root) != simdjson::SUCCESS) {
    return make_error(ErrorCode::invalid_input, "not a JSON object");
  }
  ManifestRefs refs;
  for (auto field_result : root) {
    od::field field;
    std::string_view key;
    if (std::move(field_result).get(field) != simdjson::SUCCESS ||
        field.unescaped_key().get(key) != simdjson::SUCCESS) {
      return make_error(ErrorCode::invalid_input, "not valid JSON");
    }
    if (key == "manifests") {
      od::array array;
      if (field.value().get_array().get(array) != simdjson::SUCCESS) {
        return make_error(ErrorCode::invalid_input, "manifests is not an array");
      }
      for (auto item : array) {
        std::string_view digest;
        if (item["digest"].get_string().get(digest) != simdjson::SUCCESS) {
          return make_error(ErrorCode::invalid_input, "a manifests[] entry has no digest string");
        }
        refs.children.emplace_back(digest);
      }
    } else if (key == "subject") {
      std::string_view digest;
      if (field.value()["digest"].get_string().get(digest) != simdjson::SUCCESS) {
        return make_error(ErrorCode::invalid_input, "subject has no digest string");
      }
      refs.subject = std::string(digest);
    }
  }
  if (const char* loc = nullptr; doc.current_location().get(loc) == simdjson::SUCCESS)
    return make_error(ErrorCode::invalid_input, "content after the manifest object");
  return refs;
}

}  // namespace regsweep
