// Manifest inspection (manifest.hpp).
#include "manifest.hpp"

#include "api.hpp"
#include "crypto.hpp"

namespace ecr_emulator {

bool is_index_media_type(const std::string& media_type) {
  return media_type == "application/vnd.oci.image.index.v1+json" ||
         media_type == "application/vnd.docker.distribution.manifest.list.v2+json";
}

std::optional<ManifestInfo> inspect_manifest(const std::string& text) {
  Json doc = Json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return std::nullopt;
  ManifestInfo info;
  auto str = [](const Json& obj, const char* key) {
    auto it = obj.find(key);
    return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  auto num = [](const Json& obj, const char* key) -> std::int64_t {
    auto it = obj.find(key);
    return it != obj.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
  };
  info.media_type = str(doc, "mediaType");
  if (auto config = doc.find("config"); config != doc.end() && config->is_object()) {
    info.config_media_type = str(*config, "mediaType");
    info.size += num(*config, "size");
    if (!str(*config, "digest").empty()) info.blobs.push_back(str(*config, "digest"));
  }
  if (auto layers = doc.find("layers"); layers != doc.end() && layers->is_array()) {
    for (const auto& layer : *layers)
      if (layer.is_object()) {
        info.size += num(layer, "size");
        if (!str(layer, "digest").empty()) info.blobs.push_back(str(layer, "digest"));
      }
  }
  if (auto children = doc.find("manifests"); children != doc.end() && children->is_array()) {
    for (const auto& child : *children) {
      if (child.is_object() && !str(child, "digest").empty())
        info.children.push_back(str(child, "digest"));
    }
  }
  if (auto subject = doc.find("subject"); subject != doc.end() && subject->is_object()) {
    info.subject = str(*subject, "digest");
  }
  info.artifact_type = str(doc, "artifactType");
  if (auto notes = doc.find("annotations"); notes != doc.end() && notes->is_object()) {
    for (const auto& [key, value] : notes->items())
      if (value.is_string()) info.annotations.emplace_back(key, value.get<std::string>());
  }
  return info;
}

std::string synthetic_manifest(const Image& image) {
  std::string media_type =
      image.manifest_media_type != nullptr
          ? *image.manifest_media_type
          : std::string("application/vnd.docker.distribution.manifest.v2+json");
  bool oci = media_type.find("oci") != std::string::npos;
  std::string config_type = image.artifact_media_type != nullptr ? *image.artifact_media_type
                            : oci ? "application/vnd.oci.image.config.v1+json"
                                  : "application/vnd.docker.container.image.v1+json";
  Json manifest = {{"schemaVersion", 2}, {"mediaType", media_type}};
  if (is_index_media_type(media_type)) {
    manifest["manifests"] = Json::array();
    for (const auto& child : image.children) {
      manifest["manifests"].push_back(
          {{"mediaType", oci ? "application/vnd.oci.image.manifest.v1+json"
                             : "application/vnd.docker.distribution.manifest.v2+json"},
           {"digest", child},
           {"size", 0}});
    }
    return manifest.dump();
  }
  manifest["config"] = {{"mediaType", config_type},
                        {"size", 0},
                        {"digest", "sha256:" + sha256_hex("config " + image.digest)}};
  manifest["layers"] =
      Json::array({{{"mediaType", oci ? "application/vnd.oci.image.layer.v1.tar+gzip"
                                      : "application/vnd.docker.image.rootfs.diff.tar.gzip"},
                    {"size", image.size},
                    {"digest", "sha256:" + sha256_hex("layer " + image.digest)}}});
  if (!image.subject.empty()) manifest["subject"] = {{"digest", image.subject}};
  manifest["annotations"] = {{"org.regsweep.emulator.stands-for", image.digest}};
  return manifest.dump();
}

}  // namespace ecr_emulator
