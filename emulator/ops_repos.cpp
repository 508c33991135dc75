// Repository, registry and resource-tag operations.
#include <mutex>

#include "crypto.hpp"
#include "ops.hpp"
#include "pagination.hpp"

namespace ecr_emulator {

namespace {

std::vector<std::pair<std::string, std::string>> parse_tags(const Json& body) {
  std::vector<std::pair<std::string, std::string>> tags;
  const Json* list = opt_array(body, "tags");
  if (list == nullptr) return tags;
  for (const auto& tag : *list) {
    if (!tag.is_object())
      throw ApiError(400, "SerializationException", "Unexpected value for 'tags'");
    std::string key = opt_string(tag, "Key");
    if (key.empty() || key.size() > 128) {
      throw ApiError(400, "InvalidTagParameterException",
                     "Tag keys must be between 1 and 128 characters");
    }
    tags.emplace_back(key, opt_string(tag, "Value"));
  }
  return tags;
}

void merge_tags(Repository& repo, const std::vector<std::pair<std::string, std::string>>& tags) {
  for (const auto& [key, value] : tags) {
    bool replaced = false;
    for (auto& existing : repo.resource_tags)
      if (existing.first == key) existing.second = value, replaced = true;
    if (!replaced) repo.resource_tags.emplace_back(key, value);
  }
  if (repo.resource_tags.size() > 50) {
    throw ApiError(400, "TooManyTagsException", "A repository can have at most 50 tags");
  }
}

// resourceArn -> repository (caller holds the lock).
Repository& repository_from_arn(Store& store, const Json& body) {
  std::string arn = req_string(body, "resourceArn");
  std::size_t at = arn.find(":repository/");
  if (!arn.starts_with("arn:") || at == std::string::npos) {
    throw ApiError(
        400, "InvalidParameterException",
        "Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Invalid ARN'");
  }
  return find_repository(store, arn.substr(at + 12));
}

}  // namespace

OpResult create_repository(Context& ctx, const Json& body) {
  std::string name = repository_name_param(body);
  std::string mutability = opt_string(body, "imageTagMutability", "MUTABLE");
  if (mutability != "MUTABLE" && mutability != "IMMUTABLE") {
    throw_invalid_parameter("imageTagMutability",
                            "Member must satisfy enum value set: [MUTABLE, IMMUTABLE]");
  }
  auto tags = parse_tags(body);
  std::unique_lock lock(ctx.store.mutex);
  if (ctx.store.repositories.contains(name)) {
    throw ApiError(400, "RepositoryAlreadyExistsException",
                   "The repository with name '" + name +
                       "' already exists in the registry with id '" + ctx.store.account_id + "'");
  }
  Repository repo;
  repo.name = name;
  repo.registry_id = ctx.store.account_id;
  repo.created_at = ctx.now;
  repo.tag_mutability = mutability;
  if (const Json* scan = opt_object(body, "imageScanningConfiguration"))
    repo.scan_on_push = opt_bool(*scan, "scanOnPush", false);
  merge_tags(repo, tags);
  auto& stored = ctx.store.repositories.emplace(name, std::move(repo)).first->second;
  return Json{{"repository", repository_json(ctx.store, stored)}};
}

OpResult describe_repositories(Context& ctx, const Json& body) {
  const Json* names = opt_array(body, "repositoryNames");
  std::string token = opt_string(body, "nextToken");
  int limit = max_results(body, 1000, 100);
  std::shared_lock lock(ctx.store.mutex);
  Json list = Json::array();
  if (names != nullptr) {
    if (!token.empty() || body.contains("maxResults")) {
      throw ApiError(400, "InvalidParameterException",
                     "Invalid parameter: nextToken and maxResults cannot be used together with "
                     "repositoryNames");
    }
    if (names->empty() || names->size() > 100) {
      throw_invalid_parameter("repositoryNames", "Member must have length between 1 and 100");
    }
    for (const auto& name : *names) {
      if (!name.is_string())
        throw ApiError(400, "SerializationException", "Unexpected value for 'repositoryNames'");
      list.push_back(
          repository_json(ctx.store, find_repository(ctx.store, name.get<std::string>())));
    }
    return Json{{"repositories", std::move(list)}};
  }
  auto it = ctx.store.repositories.begin();
  if (!token.empty())
    it = ctx.store.repositories.lower_bound(decode_token(token, "repositories", "").key);
  for (int n = 0; it != ctx.store.repositories.end() && n < limit; ++it, ++n) {
    list.push_back(repository_json(ctx.store, it->second));
  }
  Json out = {{"repositories", std::move(list)}};
  if (it != ctx.store.repositories.end())
    out["nextToken"] = encode_token("repositories", "", {it->first, 0});
  return out;
}

OpResult delete_repository(Context& ctx, const Json& body) {
  std::string name = repository_name_param(body);
  bool force = opt_bool(body, "force", false);
  std::unique_lock lock(ctx.store.mutex);
  Repository& repo = find_repository(ctx.store, name);
  if (!force && !repo.images.empty()) {
    throw ApiError(400, "RepositoryNotEmptyException",
                   "The repository with name '" + name + "' in registry with id '" +
                       repo.registry_id + "' cannot be deleted because it still contains images");
  }
  Json out = {{"repository", repository_json(ctx.store, repo)}};
  ctx.store.repositories.erase(name);
  return out;
}

OpResult list_tags_for_resource(Context& ctx, const Json& body) {
  std::shared_lock lock(ctx.store.mutex);
  Repository& repo = repository_from_arn(ctx.store, body);
  Json tags = Json::array();
  for (const auto& [key, value] : repo.resource_tags)
    tags.push_back({{"Key", key}, {"Value", value}});
  return Json{{"tags", std::move(tags)}};
}

OpResult tag_resource(Context& ctx, const Json& body) {
  auto tags = parse_tags(body);
  std::unique_lock lock(ctx.store.mutex);
  merge_tags(repository_from_arn(ctx.store, body), tags);
  return Json::object();
}

OpResult untag_resource(Context& ctx, const Json& body) {
  const Json* keys = opt_array(body, "tagKeys");
  std::unique_lock lock(ctx.store.mutex);
  Repository& repo = repository_from_arn(ctx.store, body);
  if (keys != nullptr) {
    for (const auto& key : *keys) {
      if (key.is_string())
        std::erase_if(repo.resource_tags,
                      [&](const auto& t) { return t.first == key.get<std::string>(); });
    }
  }
  return Json::object();
}

OpResult describe_registry(Context& ctx, const Json&) {
  return Json{{"registryId", ctx.store.account_id},
              {"replicationConfiguration", {{"rules", Json::array()}}}};
}

OpResult get_authorization_token(Context& ctx, const Json&) {
  // The password must not contain ':' (the CLI's get-login-password splits on it).
  std::string password = base64_encode(random_uuid());
  std::string suffix = ctx.store.region.starts_with("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com";
  Json data = {{"authorizationToken", base64_encode("AWS:" + password)},
               {"expiresAt", epoch_seconds(ctx.now + 12LL * 3600 * 1000)},
               {"proxyEndpoint",
                "https://" + ctx.store.account_id + ".dkr.ecr." + ctx.store.region + suffix}};
  return Json{{"authorizationData", Json::array({data})}};
}

}  // namespace ecr_emulator
