// Splitting a fleet over several machines: `--shard-index I --shard-count N` on plan, apply and
// run. Every registry — one (account, region) pair — belongs to exactly one shard:
//
//   shard_of(account, region, N) = (FNV-1a-64("ACCOUNT/REGION") >> 32) mod N
//
// (FNV-1a 64-bit: offset basis 14695981039346656037, prime 1099511628211, over the bytes of the
// account id, '/', the region name; its upper half, because FNV-1a's low bits depend only on the
// low bits of the input bytes — taken mod 4, every region name of the same shape would land in
// the same shard). A pure function of those three values, so every machine,
// every run and every version agrees on it: two workers never own the same registry, so its
// repository locks and its API quotas belong to one worker. It is part of the documented
// behaviour (docs/config.md) and must never change: a new assignment during a rolling upgrade
// would hand a registry to two workers at once.
//
// The index may come from the batch system: a Kubernetes Indexed Job sets JOB_COMPLETION_INDEX,
// an AWS Batch array job AWS_BATCH_JOB_ARRAY_INDEX; --shard-index wins over both. The count is
// never guessed (neither system tells its workers how many there are): without --shard-count
// there is no sharding, whatever the environment says.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "journal/state_dir.hpp"
#include "plan/saved_plan.hpp"
#include "util/result.hpp"

namespace regsweep {

constexpr std::uint32_t k_max_shard_count = 10'000;

struct ShardSpec {
  std::uint32_t index = 0;
  std::uint32_t count = 1;
  bool operator==(const ShardSpec&) const = default;
};

std::uint64_t fnv1a64(std::string_view bytes);

// Which of `count` shards (0..count-1) owns the registry; count must be >= 1.
std::uint32_t shard_of(std::string_view account, std::string_view region, std::uint32_t count);

inline bool owns(const ShardSpec& shard, std::string_view account, std::string_view region) {
  return shard_of(account, region, shard.count) == shard.index;
}

// "shard 2 of 0..3"
std::string describe(const ShardSpec& shard);

// The flags as given (unset: not given) and the environment. nullopt without --shard-count;
// invalid_input naming the flag or variable when --shard-index comes without --shard-count, a
// value is not a whole number, the count is not 1..k_max_shard_count, the index is not below the
// count, or --shard-count comes with no index at all.
// The repositories of a saved plan (a merged one: `plan merge`) that belong to `shard`, by their
// registryId and region; invalid_input naming `file` when a repository lacks either (a plan of a
// snapshot cannot be split by registry).
Result<SavedPlan> select_shard(SavedPlan plan, const ShardSpec& shard, const std::string& file);

Result<std::optional<ShardSpec>> resolve_shard(std::optional<long long> index_flag,
                                               std::optional<long long> count_flag,
                                               const GetEnv& env = process_env());

}  // namespace regsweep
