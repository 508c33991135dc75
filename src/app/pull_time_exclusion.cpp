#include "app/pull_time_exclusion.hpp"

#include <algorithm>

namespace regsweep {
namespace {

// The principal to register in `registry`: the request's, or the caller's.
Result<std::string> principal_for(const OpenedRegistry& registry, const ExclusionRequest& request) {
  if (!request.principal_arn.empty()) return request.principal_arn;
  if (!registry.caller_arn) {
    return make_error(ErrorCode::invalid_input,
                      registry.label + ": no caller to exclude (not a live registry)");
  }
  auto caller = registry.caller_arn();
  if (!caller) return std::move(caller).take_error();
  auto principal = exclusion_principal(*caller);
  if (!principal) {
    return make_error(ErrorCode::invalid_input,
                      "the caller " + *caller +
                          " is not an IAM role or user, which is all ECR can exclude; fix: "
                          "run as a role or user, or pass --principal-arn");
  }
  return *principal;
}

bool contains(const std::vector<std::string>& list, const std::string& arn) {
  return std::find(list.begin(), list.end(), arn) != list.end();
}

ExclusionResult change_one(const OpenedRegistry& registry, const ExclusionRequest& request) {
  ExclusionResult result{registry.label, "", ExclusionState::failed, ""};
  auto principal = principal_for(registry, request);
  if (!principal) {
    result.error = principal.error().message;
    return result;
  }
  result.principal = *principal;
  auto listed = registry.registry->pull_time_exclusions();
  if (!listed) {
    result.error = listed.error().message;
    return result;
  }
  const bool present = contains(*listed, *principal);
  Status status = ok_status();
  switch (request.change) {
    case ExclusionChange::check:
      result.state = present ? ExclusionState::already : ExclusionState::not_registered;
      return result;
    case ExclusionChange::add:
      if (present) {
        result.state = ExclusionState::already;
        return result;
      }
      status = registry.registry->register_pull_time_exclusion(*principal);
      result.state = ExclusionState::registered;
      break;
    case ExclusionChange::remove:
      if (!present) {
        result.state = ExclusionState::not_registered;
        return result;
      }
      status = registry.registry->deregister_pull_time_exclusion(*principal);
      result.state = ExclusionState::removed;
      break;
  }
  if (!status) {
    result.state = ExclusionState::failed;
    result.error = status.error().message;
  }
  return result;
}

}  // namespace

std::optional<std::string> exclusion_principal(const std::string& caller_arn) {
  // arn:PARTITION:SERVICE::ACCOUNT:RESOURCE
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    const auto colon = caller_arn.find(':', start);
    if (colon == std::string::npos) return std::nullopt;
    parts.push_back(caller_arn.substr(start, colon - start));
    start = colon + 1;
  }
  const std::string resource = caller_arn.substr(start);
  const std::string& partition = parts[1];
  const std::string& service = parts[2];
  const std::string& account = parts[4];
  if (parts[0] != "arn" || account.size() != 12) return std::nullopt;
  if (service == "iam" && resource.starts_with("user/")) return caller_arn;
  if (service == "iam" && resource.starts_with("role/")) return caller_arn;
  if (service == "sts" && resource.starts_with("assumed-role/")) {
    const std::string rest = resource.substr(13);
    const auto slash = rest.find('/');
    const std::string role = rest.substr(0, slash);
    if (role.empty()) return std::nullopt;
    return "arn:" + partition + ":iam::" + account + ":role/" + role;
  }
  return std::nullopt;
}

std::vector<ExclusionResult> setup_pull_time_exclusion(const std::vector<OpenedRegistry>& opened,
                                                       const ExclusionRequest& request) {
  std::vector<ExclusionResult> results;
  for (const auto& registry : opened) results.push_back(change_one(registry, request));
  return results;
}

std::string_view to_string(ExclusionState state) {
  switch (state) {
    case ExclusionState::registered:
      return "registered";
    case ExclusionState::already:
      return "already";
    case ExclusionState::removed:
      return "removed";
    case ExclusionState::not_registered:
      return "not registered";
    case ExclusionState::failed:
      return "failed";
  }
  return "failed";
}

bool reads_pull_times(const Policy& policy) {
  return std::any_of(policy.rules.begin(), policy.rules.end(), [](const Rule& rule) {
    return rule.count_type == CountType::since_image_pulled;
  });
}

void warn_if_pulls_count(const std::vector<OpenedRegistry>& opened, const Policy& policy,
                         Events& events) {
  if (!reads_pull_times(policy)) return;
  std::string counted_there, unknown;
  for (const auto& registry : opened) {
    if (!registry.caller_arn) continue;  // a snapshot: nothing is pulled
    const auto result = change_one(registry, {ExclusionChange::check, ""});
    if (result.state == ExclusionState::not_registered) {
      counted_there += (counted_there.empty() ? "" : ", ") + registry.label;
    } else if (result.state == ExclusionState::failed) {
      unknown += (unknown.empty() ? "" : "; ") + registry.label + ": " + result.error;
    }
  }
  if (counted_there.empty() && unknown.empty()) return;
  std::string text =
      "the policy reads pull times (sinceImagePulled), and the manifests regsweep reads (of image "
      "indexes, and of images right before deleting them) are pulls to ECR: they make those "
      "images look freshly pulled, to ECR's lifecycle and to the next plan. ";
  if (!counted_there.empty())
    text += "The caller is not a pull-time update exclusion in " + counted_there + ". ";
  if (!unknown.empty()) text += "Whether it is could not be told in " + unknown + ". ";
  text += "Fix: regsweep setup pull-time-exclusion (with the same --region/--role-arn)";
  events.warn(text);
}

}  // namespace regsweep
