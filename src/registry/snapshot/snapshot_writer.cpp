#include "registry/snapshot/snapshot_writer.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace regsweep {
namespace {

void write_image(const ImageRecord& image, JsonWriter& out) {
  out.begin_object();
  out.key("imageDigest");
  out.value(image.digest);
  if (!image.tags.empty()) {
    out.key("imageTags");
    out.begin_array();
    for (const auto& tag : image.tags) out.value(tag);
    out.end_array();
  }
  out.key("imagePushedAt");
  out.value(format_iso8601(image.pushed_at));
  out.key("imageSizeInBytes");
  out.value(image.size_bytes);
  if (image.last_pulled_at) {
    out.key("lastRecordedPullTime");
    out.value(format_iso8601(*image.last_pulled_at));
  }
  out.key("imageStatus");
  out.value(to_string(image.status));
  if (image.last_archived_at) {
    out.key("lastArchivedAt");
    out.value(format_iso8601(*image.last_archived_at));
  }
  if (image.last_activated_at) {
    out.key("lastActivatedAt");
    out.value(format_iso8601(*image.last_activated_at));
  }
  if (!image.manifest_media_type.empty()) {
    out.key("imageManifestMediaType");
    out.value(image.manifest_media_type);
  }
  if (!image.artifact_media_type.empty()) {
    out.key("artifactMediaType");
    out.value(image.artifact_media_type);
  }
  if (image.subject_digest) {
    out.key("subjectManifestDigest");
    out.value(*image.subject_digest);
  }
  if (image.manifest) {
    out.key("imageManifest");
    out.value(*image.manifest);
  }
  out.end_object();
}

}  // namespace

void write_snapshot(const Inventory& inventory, JsonWriter& out) {
  out.begin_object();
  out.key("repositories");
  out.begin_array();
  for (const auto& repo : inventory.repositories) {
    out.newline();
    out.begin_object();
    out.key("repositoryName");
    out.value(repo.name);
    if (!repo.registry_id.empty()) {
      out.key("registryId");
      out.value(repo.registry_id);
    }
    if (!repo.region.empty()) {
      out.key("region");
      out.value(repo.region);
    }
    out.key("imageDetails");
    out.begin_array();
    for (const auto& image : repo.images) {
      out.newline();
      write_image(image, out);
    }
    out.end_array();
    out.end_object();
  }
  out.newline();
  out.end_array();
  out.end_object();
  out.newline();
  out.finish();
}

std::string snapshot_to_json(const Inventory& inventory) {
  JsonWriter out;
  write_snapshot(inventory, out);
  return out.buffer();
}

Status save_snapshot(const Inventory& inventory, const std::string& path) {
  const bool to_stdout = path == "-";
  const std::string temp = to_stdout ? std::string() : path + ".tmp";
  std::FILE* file = to_stdout ? stdout : std::fopen(temp.c_str(), "wb");
  if (file == nullptr) {
    return make_error(ErrorCode::invalid_input, path + ": cannot write the snapshot (" +
                                                    std::strerror(errno) +
                                                    "); check the directory exists");
  }
  bool write_ok = true;
  JsonWriter out([&](std::string_view chunk) {
    write_ok = write_ok && std::fwrite(chunk.data(), 1, chunk.size(), file) == chunk.size();
  });
  write_snapshot(inventory, out);
  if (to_stdout) {
    write_ok = std::fflush(file) == 0 && write_ok;
  } else {
    write_ok = std::fclose(file) == 0 && write_ok;
    if (write_ok && std::rename(temp.c_str(), path.c_str()) != 0) write_ok = false;
    if (!write_ok) std::remove(temp.c_str());
  }
  if (!write_ok) {
    return make_error(ErrorCode::internal, path + ": writing the snapshot failed (" +
                                               std::strerror(errno) + "); check free disk space");
  }
  return ok_status();
}

}  // namespace regsweep
