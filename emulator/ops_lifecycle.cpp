// Get/Put/DeleteLifecyclePolicy. Policies are validated with regsweep's own policy parser (the one
// module the emulator shares, by design) and stored verbatim.
#include <mutex>

#include "ops.hpp"
#include "policy/parse.hpp"

namespace ecr_emulator {

namespace {

Json policy_json(const Repository& repo) {
  return Json{{"registryId", repo.registry_id},
              {"repositoryName", repo.name},
              {"lifecyclePolicyText", *repo.policy_text},
              {"lastEvaluatedAt", 0.0}};
}

const Repository& with_policy(Store& store, const std::string& name) {
  const Repository& repo = find_repository(store, name);
  if (!repo.policy_text) {
    throw ApiError(400, "LifecyclePolicyNotFoundException",
                   "Lifecycle policy does not exist for the repository with name '" + name +
                       "' in the registry with id '" + repo.registry_id + "'");
  }
  return repo;
}

}  // namespace

OpResult get_lifecycle_policy(Context& ctx, const Json& body) {
  std::string name = repository_name_param(body);
  std::shared_lock lock(ctx.store.mutex);
  return policy_json(with_policy(ctx.store, name));
}

OpResult put_lifecycle_policy(Context& ctx, const Json& body) {
  std::string name = repository_name_param(body);
  std::string text = req_string(body, "lifecyclePolicyText");
  if (text.size() < 100) {
    throw_invalid_parameter("lifecyclePolicyText",
                            "Member must have length greater than or equal to 100");
  }
  if (text.size() > 30720) {
    throw_invalid_parameter("lifecyclePolicyText",
                            "Member must have length less than or equal to 30720");
  }
  auto policy = regsweep::parse_policy(text, "lifecyclePolicyText");
  if (!policy.ok()) {
    std::string problems = policy.error().message;
    for (auto& c : problems)
      if (c == '\n') c = ' ';
    throw_invalid_parameter("LifecyclePolicyText",
                            "Lifecycle policy validation failure: " + problems);
  }
  std::unique_lock lock(ctx.store.mutex);
  Repository& repo = find_repository(ctx.store, name);
  repo.policy_text = text;
  return Json{
      {"registryId", repo.registry_id}, {"repositoryName", name}, {"lifecyclePolicyText", text}};
}

OpResult delete_lifecycle_policy(Context& ctx, const Json& body) {
  std::string name = repository_name_param(body);
  std::unique_lock lock(ctx.store.mutex);
  Json out = policy_json(with_policy(ctx.store, name));
  ctx.store.repositories.at(name).policy_text.reset();
  return out;
}

}  // namespace ecr_emulator
