// The flags that say where images come from (app/registry_sources.hpp): --snapshot FILE, or ECR:
// --region and --role-arn (each repeatable: every account x region pair), --profile,
// --endpoint-url, --registry-id and the timeouts. --snapshot excludes the ECR flags.
#pragma once

#include "app/registry_sources.hpp"

namespace CLI {
class App;
}

namespace regsweep::cli {

enum class SnapshotFlag { offered, absent };

void add_source_options(CLI::App& sub, RegistrySource& source, SnapshotFlag snapshot);

// --shard-index I --shard-count N (app/shard.hpp), for plan, apply and run.
struct ShardFlags {
  long long index = -1;  // -1: not given (JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX)
  long long count = -1;  // -1: not given (no sharding)
};
void add_shard_options(CLI::App& sub, ShardFlags& flags);
// The shard the flags and the environment name; nullopt without --shard-count.
Result<std::optional<ShardSpec>> shard_of_flags(const ShardFlags& flags);

}  // namespace regsweep::cli
