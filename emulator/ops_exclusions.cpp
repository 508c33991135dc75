// Pull-time update exclusions: Register/Deregister/ListPullTimeUpdateExclusions, and the check
// BatchGetImage makes. ECR user guide, "Pull-time update exclusions": ECR updates
// lastRecordedPullTime on every pull, except when a principal on the list pulls; "You can
// configure up to 100 exclusions per account". The emulator is one account, so the list is the
// store's. principalArn follows the model: at most 200 characters, pattern
// ^arn:aws(-[a-z]+)*:iam::[0-9]{12}:(role|user)/[\w+=,.@-]+(/[\w+=,.@-]+)*$ .
//
// Matching: an exclusion applies to the IAM user or role it names, whatever the path in either
// ARN (IAM user and role names are unique in an account), so arn:aws:iam::A:role/R covers every
// session of role R (arn:aws:sts::A:assumed-role/R/S) and arn:aws:iam::A:role/team/R too.
#include <mutex>
#include <string_view>

#include "ops.hpp"
#include "pagination.hpp"

namespace ecr_emulator {

namespace {

constexpr std::size_t k_max_exclusions = 100;
constexpr std::string_view k_arn_pattern =
    "^arn:aws(-[a-z]+)*:iam::[0-9]{12}:(role|user)/[\\w+=,.@-]+(/[\\w+=,.@-]+)*$";

bool is_word_or(char c, std::string_view extra) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         extra.find(c) != std::string_view::npos;
}

// k_arn_pattern, by hand.
bool valid_principal_arn(std::string_view arn) {
  if (!arn.starts_with("arn:aws")) return false;
  std::size_t at = 7;
  while (at < arn.size() && arn[at] == '-') {  // (-[a-z]+)*
    std::size_t start = ++at;
    while (at < arn.size() && arn[at] >= 'a' && arn[at] <= 'z') ++at;
    if (at == start) return false;
  }
  if (arn.substr(at, 6) != ":iam::") return false;
  at += 6;
  for (int i = 0; i < 12; ++i, ++at)
    if (at >= arn.size() || arn[at] < '0' || arn[at] > '9') return false;
  std::string_view rest = arn.substr(at);
  if (rest.starts_with(":role/"))
    rest.remove_prefix(6);
  else if (rest.starts_with(":user/"))
    rest.remove_prefix(6);
  else
    return false;
  std::size_t segment = 0;
  for (char c : rest) {
    if (c == '/') {
      if (segment == 0) return false;
      segment = 0;
    } else if (is_word_or(c, "+=,.@-")) {
      ++segment;
    } else {
      return false;
    }
  }
  return segment > 0;
}

// "ACCOUNT:role/NAME" or "ACCOUNT:user/NAME" for an IAM role or user ARN; "" otherwise.
std::string principal_key(std::string_view arn) {
  const auto iam = arn.find(":iam::");
  if (iam == std::string_view::npos) return {};
  std::string_view rest = arn.substr(iam + 6);
  const auto colon = rest.find(':');
  const auto slash = rest.find('/');
  const auto last = rest.rfind('/');
  if (colon == std::string_view::npos || slash == std::string_view::npos || slash < colon)
    return {};
  return std::string(rest.substr(0, colon + 1)) +
         std::string(rest.substr(colon + 1, slash - colon)) + std::string(rest.substr(last + 1));
}

std::string principal_arn_param(const Json& body) {
  std::string arn = req_string(body, "principalArn");
  if (arn.size() > 200) {
    throw_invalid_parameter("principalArn", "Member must have length less than or equal to 200");
  }
  if (!valid_principal_arn(arn)) {
    throw_invalid_parameter("principalArn", "Member must satisfy regular expression pattern: " +
                                                std::string(k_arn_pattern));
  }
  return arn;
}

}  // namespace

bool pull_time_excluded(const Store& store, const std::string& caller) {
  if (caller.empty() || store.pull_time_exclusions.empty()) return false;
  const std::string key = principal_key(caller);
  if (key.empty()) return false;
  for (const auto& [arn, created] : store.pull_time_exclusions)
    if (principal_key(arn) == key) return true;
  return false;
}

OpResult register_pull_time_update_exclusion(Context& ctx, const Json& body) {
  std::string arn = principal_arn_param(body);
  std::unique_lock lock(ctx.store.mutex);
  auto& list = ctx.store.pull_time_exclusions;
  if (list.contains(arn)) {
    throw ApiError(400, "ExclusionAlreadyExistsException",
                   "The principal '" + arn +
                       "' is already excluded from pull time updates in the registry with id '" +
                       ctx.store.account_id + "'");
  }
  if (list.size() >= k_max_exclusions) {
    throw ApiError(400, "LimitExceededException",
                   "The registry with id '" + ctx.store.account_id + "' already has " +
                       std::to_string(k_max_exclusions) +
                       " pull time update exclusions, the most allowed; deregister one first");
  }
  list.emplace(arn, ctx.now);
  return Json{{"principalArn", arn}, {"createdAt", epoch_seconds(ctx.now)}};
}

OpResult deregister_pull_time_update_exclusion(Context& ctx, const Json& body) {
  std::string arn = principal_arn_param(body);
  std::unique_lock lock(ctx.store.mutex);
  if (ctx.store.pull_time_exclusions.erase(arn) == 0) {
    throw ApiError(400, "ExclusionNotFoundException",
                   "The principal '" + arn +
                       "' is not excluded from pull time updates in the registry with id '" +
                       ctx.store.account_id + "'");
  }
  return Json{{"principalArn", arn}};
}

// Ordered by ARN; maxResults 1-1000 (model), every exclusion (at most 100) when absent.
OpResult list_pull_time_update_exclusions(Context& ctx, const Json& body) {
  int limit = max_results(body, 1000, static_cast<int>(k_max_exclusions));
  std::string token = opt_string(body, "nextToken");
  std::shared_lock lock(ctx.store.mutex);
  const auto& list = ctx.store.pull_time_exclusions;
  auto it = list.begin();
  if (!token.empty())
    it = list.lower_bound(decode_token(token, "PullTimeUpdateExclusions", "").key);
  Json arns = Json::array();
  for (int n = 0; it != list.end() && n < limit; ++it, ++n) arns.push_back(it->first);
  Json out = {{"pullTimeUpdateExclusions", std::move(arns)}};
  if (it != list.end())
    out["nextToken"] = encode_token("PullTimeUpdateExclusions", "", {it->first, 0});
  return out;
}

}  // namespace ecr_emulator
