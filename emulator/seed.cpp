// Snapshot loading with simdjson On Demand, dumping with nlohmann (seed.hpp).
#include "seed.hpp"

#include <simdjson.h>

#include <cmath>
#include <mutex>
#include <vector>

#include "crypto.hpp"
#include "manifest.hpp"
#include "ops.hpp"
#include "util/time.hpp"

namespace ecr_emulator {

namespace {

namespace od = simdjson::ondemand;

struct SeedError {
  std::string message;
};

struct RepoSeed {
  std::string name;
  std::optional<std::string> registry_id;
  std::optional<Millis> created_at;
  std::optional<std::string> policy_text;
  std::optional<std::string> tag_mutability;
  std::vector<Image> images;
};

struct Document {
  std::optional<std::string> registry_id;
  std::optional<std::string> region;
  std::vector<RepoSeed> repositories;
};

// Error locations are "<where>.<key>", built only when something is wrong (this is the hot loop).
std::string at(const std::string& where, std::string_view key) {
  return key.empty() ? where : where + "." + std::string(key);
}

std::string text(od::value value, const std::string& where, std::string_view key = {}) {
  if (value.type() != od::json_type::string) throw SeedError{at(where, key) + ": must be a string"};
  return std::string(std::string_view(value.get_string()));
}

std::optional<Millis> timestamp(od::value value, const std::string& where, std::string_view key) {
  switch (value.type()) {
    case od::json_type::null:
      return std::nullopt;
    case od::json_type::number:
      return static_cast<Millis>(std::llround(double(value.get_double()) * 1000.0));
    case od::json_type::string: {
      auto parsed = regsweep::parse_timestamp(std::string_view(value.get_string()));
      if (!parsed)
        throw SeedError{at(where, key) + ": not a timestamp; use epoch seconds or ISO 8601"};
      return *parsed;
    }
    default:
      throw SeedError{at(where, key) + ": must be epoch seconds or an ISO 8601 string"};
  }
}

// A seeded ACTIVATING image is a restore in progress that never completes on its own (no seed
// member says when it would); UpdateImageStorageClass restores take --restore-delay-ms.
ImageStatus image_status(od::value value, const std::string& where, std::string_view key) {
  const std::string status = text(value, where, key);
  if (status == "ACTIVE") return ImageStatus::active;
  if (status == "ARCHIVED") return ImageStatus::archived;
  if (status == "ACTIVATING") return ImageStatus::activating;
  throw SeedError{at(where, key) + ": '" + status +
                  "' is not an image status; use ACTIVE, ARCHIVED or ACTIVATING"};
}

Image parse_image(od::object object, const std::string& where, Millis now) {
  Image image;
  image.pushed_at = now;
  std::string media_type, artifact_type;
  for (auto field : object) {
    std::string_view key = field.unescaped_key();
    od::value value = field.value();
    if (value.type() == od::json_type::null) continue;
    if (key == "imageDigest")
      image.digest = text(value, where, key);
    else if (key == "imageTags") {
      for (auto tag : value.get_array()) image.tags.push_back(text(tag.value(), where, key));
    } else if (key == "imagePushedAt")
      image.pushed_at = timestamp(value, where, key).value_or(now);
    else if (key == "lastRecordedPullTime")
      image.last_pull = timestamp(value, where, key);
    else if (key == "lastArchivedAt")
      image.last_archived = timestamp(value, where, key);
    else if (key == "lastActivatedAt")
      image.last_activated = timestamp(value, where, key);
    else if (key == "imageSizeInBytes") {
      if (value.type() != od::json_type::number)
        throw SeedError{at(where, key) + ": must be a number"};
      image.size = static_cast<std::int64_t>(double(value.get_double()));
    } else if (key == "imageStatus")
      image.status = image_status(value, where, key);
    else if (key == "imageManifestMediaType")
      media_type = text(value, where, key);
    else if (key == "artifactMediaType")
      artifact_type = text(value, where, key);
    else if (key == "imageManifest")
      image.manifest = text(value, where, key);
    else if (key == "subjectManifestDigest")
      image.subject = text(value, where, key);
  }
  if (!image.manifest.empty()) {
    auto info = inspect_manifest(image.manifest);
    if (!info) throw SeedError{where + ".imageManifest: not a JSON object"};
    if (image.digest.empty()) image.digest = "sha256:" + sha256_hex(image.manifest);
    if (media_type.empty()) media_type = info->media_type;
    if (artifact_type.empty()) artifact_type = info->config_media_type;
    image.children = info->children;
    if (image.subject.empty()) image.subject = info->subject;
  }
  if (image.digest.empty())
    throw SeedError{where + ".imageDigest: required (or give imageManifest)"};
  image.manifest_media_type = intern(media_type);
  image.artifact_media_type = intern(artifact_type);
  if (image.status == ImageStatus::activating) image.activates_at = k_never;
  return image;
}

RepoSeed parse_repository(od::object object, const std::string& where, Millis now) {
  RepoSeed repo;
  for (auto field : object) {
    std::string_view key = field.unescaped_key();
    od::value value = field.value();
    if (value.type() == od::json_type::null) continue;
    if (key == "repositoryName")
      repo.name = text(value, where, key);
    else if (key == "registryId")
      repo.registry_id = text(value, where, key);
    else if (key == "createdAt")
      repo.created_at = timestamp(value, where, key);
    else if (key == "lifecyclePolicyText")
      repo.policy_text = text(value, where, key);
    else if (key == "imageTagMutability")
      repo.tag_mutability = text(value, where, key);
    else if (key == "imageDetails") {
      std::size_t i = 0;
      for (auto detail : value.get_array()) {
        std::string item = at(where, key) + "[" + std::to_string(i++) + "]";
        if (detail.type() != od::json_type::object) throw SeedError{item + ": must be an object"};
        repo.images.push_back(parse_image(detail.get_object(), item, now));
      }
    }
  }
  if (!valid_repository_name(repo.name)) {
    throw SeedError{where + ".repositoryName: '" + repo.name +
                    "' is not a valid ECR repository name"};
  }
  return repo;
}

Document parse_document(simdjson::padded_string_view json, Millis now) {
  od::parser parser;
  od::document doc = parser.iterate(json);
  Document out;
  for (auto field : doc.get_object()) {
    std::string_view key = field.unescaped_key();
    od::value value = field.value();
    if (value.type() == od::json_type::null) continue;
    if (key == "registryId")
      out.registry_id = text(value, "registryId");
    else if (key == "region")
      out.region = text(value, "region");
    else if (key == "repositories") {
      std::size_t i = 0;
      for (auto repo : value.get_array()) {
        std::string where = "repositories[" + std::to_string(i++) + "]";
        if (repo.type() != od::json_type::object) throw SeedError{where + ": must be an object"};
        out.repositories.push_back(parse_repository(repo.get_object(), where, now));
      }
    }
  }
  return out;
}

}  // namespace

static std::optional<std::string> apply_snapshot(simdjson::padded_string_view json, Store& store,
                                                 SeedMode mode, Millis now) {
  Document doc;
  try {
    doc = parse_document(json, now);
  } catch (const SeedError& e) {
    return "seed: " + e.message;
  } catch (const simdjson::simdjson_error& e) {
    return std::string("seed: not valid JSON (") + e.what() + "); fix the document";
  }
  std::unique_lock lock(store.mutex);
  if (mode == SeedMode::replace) {
    store.repositories.clear();
    if (doc.registry_id) store.account_id = *doc.registry_id;
    if (doc.region) store.region = *doc.region;
  }
  for (auto& seed : doc.repositories) {
    auto [it, fresh] = store.repositories.try_emplace(seed.name);
    Repository& repo = it->second;
    if (fresh) {
      repo.name = seed.name;
      repo.registry_id = store.account_id;
      repo.created_at = now;
    }
    if (seed.registry_id) repo.registry_id = *seed.registry_id;
    if (seed.created_at) repo.created_at = *seed.created_at;
    if (seed.policy_text) repo.policy_text = seed.policy_text;
    if (seed.tag_mutability) repo.tag_mutability = *seed.tag_mutability;
    std::size_t tags = repo.tag_to_digest.size();
    for (const auto& image : seed.images) tags += image.tags.size();
    repo.tag_to_digest.reserve(tags);
    for (auto& image : seed.images) put_image(repo, std::move(image), false);
  }
  return std::nullopt;
}

std::optional<std::string> load_snapshot(std::string_view json, Store& store, SeedMode mode,
                                         Millis now) {
  simdjson::padded_string padded(json);
  return apply_snapshot(padded, store, mode, now);
}

std::optional<std::string> load_snapshot_file(const std::string& path, Store& store, Millis now) {
  simdjson::padded_string content;
  auto error = simdjson::padded_string::load(path).get(content);
  if (error)
    return "seed: " + path + ": cannot read (" + simdjson::error_message(error) +
           "); check the path";
  auto problem = apply_snapshot(content, store, SeedMode::replace, now);
  if (problem) return path + ": " + *problem;
  return std::nullopt;
}

std::string dump_snapshot(const Store& store, Millis now) {
  std::shared_lock lock(store.mutex);
  Json repos = Json::array();
  for (const auto& [name, repo] : store.repositories) {
    Json details = Json::array();
    for (const auto& [digest, image] : repo.images) {
      Json detail = image_detail_json(repo, image, now);
      if (!image.manifest.empty()) detail["imageManifest"] = image.manifest;
      details.push_back(std::move(detail));
    }
    Json entry = {{"repositoryName", name},
                  {"registryId", repo.registry_id},
                  {"createdAt", epoch_seconds(repo.created_at)},
                  {"imageTagMutability", repo.tag_mutability}};
    if (repo.policy_text) entry["lifecyclePolicyText"] = *repo.policy_text;
    entry["imageDetails"] = std::move(details);
    repos.push_back(std::move(entry));
  }
  return Json{{"registryId", store.account_id},
              {"region", store.region},
              {"repositories", std::move(repos)}}
      .dump();
}

}  // namespace ecr_emulator
