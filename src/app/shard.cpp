#include "app/shard.hpp"

#include <charconv>

namespace regsweep {
namespace {

constexpr std::uint64_t k_fnv_offset_basis = 14695981039346656037ull;
constexpr std::uint64_t k_fnv_prime = 1099511628211ull;

// A whole number, or nullopt (leading '+', spaces, fractions and overflow included).
std::optional<long long> whole_number(std::string_view text) {
  long long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::uint64_t fnv1a64(std::string_view bytes) {
  std::uint64_t hash = k_fnv_offset_basis;
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= k_fnv_prime;
  }
  return hash;
}

std::uint32_t shard_of(std::string_view account, std::string_view region, std::uint32_t count) {
  std::string key;
  key.reserve(account.size() + 1 + region.size());
  key.append(account).append("/").append(region);
  return static_cast<std::uint32_t>((fnv1a64(key) >> 32) % (count == 0 ? 1 : count));
}

Result<SavedPlan> select_shard(SavedPlan plan, const ShardSpec& shard, const std::string& file) {
  for (const auto& repo : plan.repositories) {
    if (repo.registry_id.empty() || repo.region.empty())
      return make_error(ErrorCode::invalid_input,
                        "--plan " + file + ": repository " + repo.repository +
                            " has no registryId and region, so its shard is unknown (a plan of a "
                            "snapshot); fix: apply it without --shard-index/--shard-count");
  }
  std::erase_if(plan.repositories, [&](const SavedRepository& repo) {
    return !owns(shard, repo.registry_id, repo.region);
  });
  return plan;
}

std::string describe(const ShardSpec& shard) {
  return "shard " + std::to_string(shard.index) + " of 0.." + std::to_string(shard.count - 1);
}

Result<std::optional<ShardSpec>> resolve_shard(std::optional<long long> index_flag,
                                               std::optional<long long> count_flag,
                                               const GetEnv& env) {
  if (!count_flag) {
    if (index_flag)
      return make_error(ErrorCode::invalid_input,
                        "--shard-index: needs --shard-count (how many shards there are in all); "
                        "fix: add --shard-count N");
    return std::optional<ShardSpec>();
  }
  if (*count_flag < 1 || *count_flag > k_max_shard_count)
    return make_error(ErrorCode::invalid_input,
                      "--shard-count: " + std::to_string(*count_flag) + " is not from 1 to " +
                          std::to_string(k_max_shard_count) + "; fix: the number of workers");
  std::optional<long long> index = index_flag;
  std::string source = "--shard-index";
  for (const char* variable : {"JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX"}) {
    if (index) break;
    const auto value = env ? env(variable) : std::nullopt;
    if (!value || value->empty()) continue;
    source = variable;
    index = whole_number(*value);
    if (!index)
      return make_error(ErrorCode::invalid_input,
                        source + ": \"" + value->substr(0, 20) +
                            "\" is not a whole number; fix: pass --shard-index I");
  }
  if (!index)
    return make_error(ErrorCode::invalid_input,
                      "--shard-count: which shard is this? Neither --shard-index nor "
                      "JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) nor "
                      "AWS_BATCH_JOB_ARRAY_INDEX (an AWS Batch array job) is set; fix: pass "
                      "--shard-index I (0 to " +
                          std::to_string(*count_flag - 1) + ")");
  if (*index < 0 || *index >= *count_flag)
    return make_error(ErrorCode::invalid_input,
                      source + ": " + std::to_string(*index) + " is not from 0 to " +
                          std::to_string(*count_flag - 1) + " (--shard-count " +
                          std::to_string(*count_flag) +
                          "); fix: give every worker its own index below the count");
  return std::optional<ShardSpec>(
      ShardSpec{static_cast<std::uint32_t>(*index), static_cast<std::uint32_t>(*count_flag)});
}

}  // namespace regsweep
