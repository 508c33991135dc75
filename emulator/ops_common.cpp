// Routing table and the helpers every operation group shares: parameter validation with ECR's
// wording, and the Repository / ImageDetail shapes.
#include <array>
#include <charconv>
#include <utility>

#include "ops.hpp"

namespace ecr_emulator {

Operation find_operation(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, Operation>, 21> k_table{{
      {"CreateRepository", create_repository},
      {"DescribeRepositories", describe_repositories},
      {"DeleteRepository", delete_repository},
      {"ListTagsForResource", list_tags_for_resource},
      {"TagResource", tag_resource},
      {"UntagResource", untag_resource},
      {"DescribeRegistry", describe_registry},
      {"GetAuthorizationToken", get_authorization_token},
      {"ListImages", list_images},
      {"DescribeImages", describe_images},
      {"BatchGetImage", batch_get_image},
      {"BatchDeleteImage", batch_delete_image},
      {"PutImage", put_image},
      {"GetLifecyclePolicy", get_lifecycle_policy},
      {"PutLifecyclePolicy", put_lifecycle_policy},
      {"DeleteLifecyclePolicy", delete_lifecycle_policy},
      {"UpdateImageStorageClass", update_image_storage_class},
      {"ListImageReferrers", list_image_referrers},
      {"RegisterPullTimeUpdateExclusion", register_pull_time_update_exclusion},
      {"DeregisterPullTimeUpdateExclusion", deregister_pull_time_update_exclusion},
      {"ListPullTimeUpdateExclusions", list_pull_time_update_exclusions},
  }};
  for (const auto& [op_name, op] : k_table)
    if (op_name == name) return op;
  return nullptr;
}

namespace {

bool is_lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// One path component of the newer model's pattern: [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*
bool valid_component(std::string_view part) {
  if (part.empty() || !is_lower_alnum(part.front()) || !is_lower_alnum(part.back())) return false;
  std::size_t i = 0;
  while (i < part.size()) {
    if (is_lower_alnum(part[i])) {
      ++i;
      continue;
    }
    std::size_t start = i;
    while (i < part.size() && !is_lower_alnum(part[i])) ++i;
    std::string_view sep = part.substr(start, i - start);
    bool dashes = sep.find_first_not_of('-') == std::string_view::npos;
    if (sep != "." && sep != "_" && sep != "__" && !dashes) return false;
  }
  return true;
}

}  // namespace

bool valid_repository_name(std::string_view name) {
  if (name.size() < 2 || name.size() > 256) return false;
  std::size_t start = 0;
  while (true) {
    std::size_t slash = name.find('/', start);
    if (!valid_component(name.substr(start, slash - start))) return false;
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

// "[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+", the rule ECR's failure message quotes.
bool valid_digest(std::string_view digest) {
  std::size_t colon = digest.find(':');
  if (colon == 0 || colon == std::string_view::npos || colon + 1 == digest.size()) return false;
  for (char c : digest.substr(0, colon)) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '+' || c == '.';
    if (!ok) return false;
  }
  for (char c : digest.substr(colon + 1)) {
    bool ok = (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || (c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

std::string repository_name_param(const Json& body) {
  std::string registry_id = opt_string(body, "registryId");
  if (!registry_id.empty()) {
    bool digits = registry_id.size() == 12 &&
                  registry_id.find_first_not_of("0123456789") == std::string::npos;
    if (!digits)
      throw_invalid_parameter("registryId", "must satisfy regular expression '[0-9]{12}'");
  }
  std::string name = req_string(body, "repositoryName");
  if (name.size() < 2)
    throw_invalid_parameter("repositoryName", "Member must have length greater than or equal to 2");
  if (name.size() > 256)
    throw_invalid_parameter("repositoryName", "Member must have length less than or equal to 256");
  if (!valid_repository_name(name)) {
    throw_invalid_parameter(
        "repositoryName",
        "must satisfy regular expression "
        "'[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(\\/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*'");
  }
  return name;
}

Repository& find_repository(Store& store, const std::string& name) {
  auto it = store.repositories.find(name);
  if (it == store.repositories.end()) {
    throw ApiError(400, "RepositoryNotFoundException",
                   "The repository with name '" + name +
                       "' does not exist in the registry with id '" + store.account_id + "'");
  }
  return it->second;
}

std::string repository_arn(const Store& store, const Repository& repo) {
  std::string partition = store.region.starts_with("cn-")       ? "aws-cn"
                          : store.region.starts_with("us-gov-") ? "aws-us-gov"
                                                                : "aws";
  return "arn:" + partition + ":ecr:" + store.region + ":" + repo.registry_id + ":repository/" +
         repo.name;
}

double epoch_seconds(Millis t) {
  return static_cast<double>(t) / 1000.0;
}

Json repository_json(const Store& store, const Repository& repo) {
  std::string suffix = store.region.starts_with("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com";
  return Json{
      {"repositoryArn", repository_arn(store, repo)},
      {"registryId", repo.registry_id},
      {"repositoryName", repo.name},
      {"repositoryUri", repo.registry_id + ".dkr.ecr." + store.region + suffix + "/" + repo.name},
      {"createdAt", epoch_seconds(repo.created_at)},
      {"imageTagMutability", repo.tag_mutability},
      {"imageScanningConfiguration", {{"scanOnPush", repo.scan_on_push}}},
      {"encryptionConfiguration", {{"encryptionType", "AES256"}}}};
}

Json image_detail_json(const Repository& repo, const Image& image, Millis now) {
  Json detail = {{"registryId", repo.registry_id},
                 {"repositoryName", repo.name},
                 {"imageDigest", image.digest}};
  if (!image.tags.empty()) detail["imageTags"] = image.tags;
  detail["imageSizeInBytes"] = image_size(repo, image);
  detail["imagePushedAt"] = epoch_seconds(image.pushed_at);
  if (image.manifest_media_type != nullptr)
    detail["imageManifestMediaType"] = *image.manifest_media_type;
  if (image.artifact_media_type != nullptr)
    detail["artifactMediaType"] = *image.artifact_media_type;
  if (image.last_pull) detail["lastRecordedPullTime"] = epoch_seconds(*image.last_pull);
  if (!image.subject.empty()) detail["subjectManifestDigest"] = image.subject;
  detail["imageStatus"] = status_name(status_at(image, now));
  if (image.last_archived) detail["lastArchivedAt"] = epoch_seconds(*image.last_archived);
  if (auto activated = last_activated_at(image, now))
    detail["lastActivatedAt"] = epoch_seconds(*activated);
  return detail;
}

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char k_hex[] = "0123456789abcdef";
  out.push_back('"');
  bool plain = true;
  for (char c : text) plain &= c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20;
  if (plain) {  // the common case: digests, tags, names
    out.append(text);
    out.push_back('"');
    return;
  }
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (u < 0x20) {
      out += "\\u00";
      out.push_back(k_hex[u >> 4]);
      out.push_back(k_hex[u & 15]);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

namespace {

void append_number(std::string& out, double value) {
  char buf[32];
  auto result = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, result.ptr);
}

void append_number(std::string& out, std::int64_t value) {
  char buf[24];
  auto result = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, result.ptr);
}

void append_key(std::string& out, const char* key) {
  out += ",\"";
  out += key;
  out += "\":";
}

}  // namespace

void append_image_detail(std::string& out, const Repository& repo, const Image& image, Millis now) {
  out += "{\"registryId\":";
  append_json_string(out, repo.registry_id);
  append_key(out, "repositoryName");
  append_json_string(out, repo.name);
  append_key(out, "imageDigest");
  append_json_string(out, image.digest);
  if (!image.tags.empty()) {
    append_key(out, "imageTags");
    out.push_back('[');
    for (std::size_t i = 0; i < image.tags.size(); ++i) {
      if (i > 0) out.push_back(',');
      append_json_string(out, image.tags[i]);
    }
    out.push_back(']');
  }
  append_key(out, "imageSizeInBytes");
  append_number(out, image_size(repo, image));
  append_key(out, "imagePushedAt");
  append_number(out, epoch_seconds(image.pushed_at));
  if (image.manifest_media_type != nullptr) {
    append_key(out, "imageManifestMediaType");
    append_json_string(out, *image.manifest_media_type);
  }
  if (image.artifact_media_type != nullptr) {
    append_key(out, "artifactMediaType");
    append_json_string(out, *image.artifact_media_type);
  }
  if (image.last_pull) {
    append_key(out, "lastRecordedPullTime");
    append_number(out, epoch_seconds(*image.last_pull));
  }
  if (!image.subject.empty()) {
    append_key(out, "subjectManifestDigest");
    append_json_string(out, image.subject);
  }
  append_key(out, "imageStatus");
  out.push_back('"');
  out += status_name(status_at(image, now));
  out.push_back('"');
  if (image.last_archived) {
    append_key(out, "lastArchivedAt");
    append_number(out, epoch_seconds(*image.last_archived));
  }
  if (auto activated = last_activated_at(image, now)) {
    append_key(out, "lastActivatedAt");
    append_number(out, epoch_seconds(*activated));
  }
  out.push_back('}');
}

const Image* resolve_image(const Repository& repo, const std::string& digest,
                           const std::string& tag) {
  std::string wanted = digest;
  if (!tag.empty()) {
    auto it = repo.tag_to_digest.find(tag);
    if (it == repo.tag_to_digest.end() || (!digest.empty() && it->second != digest)) return nullptr;
    wanted = it->second;
  }
  auto it = repo.images.find(wanted);
  return it == repo.images.end() ? nullptr : &it->second;
}

Image* resolve_image(Repository& repo, const std::string& digest, const std::string& tag) {
  return const_cast<Image*>(resolve_image(std::as_const(repo), digest, tag));
}

std::string image_id_text(const std::string& digest, const std::string& tag) {
  return "{imageDigest:'" + (digest.empty() ? std::string("null") : digest) + "', imageTag:'" +
         (tag.empty() ? std::string("null") : tag) + "'}";
}

void append_image_failure(Json& failures, const Json& id, const char* code,
                          const std::string& reason) {
  failures.push_back({{"imageId", id}, {"failureCode", code}, {"failureReason", reason}});
}

std::optional<ImageIdParam> image_id_param(const Json& id, Json& failures) {
  if (!id.is_object())
    throw ApiError(400, "SerializationException", "Unexpected value for 'imageIds'");
  ImageIdParam param{opt_string(id, "imageDigest"), opt_string(id, "imageTag")};
  if (param.digest.empty() && param.tag.empty()) {
    append_image_failure(failures, id, "MissingDigestAndTag",
                         "Invalid request parameters: both tag and digest cannot be null");
    return std::nullopt;
  }
  if (!param.digest.empty() && !valid_digest(param.digest)) {
    append_image_failure(failures, id, "InvalidImageDigest",
                         "Invalid request parameters: image digest should satisfy the regex "
                         "'[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'");
    return std::nullopt;
  }
  return param;
}

}  // namespace ecr_emulator
