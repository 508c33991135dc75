#include "cli/source_options.hpp"

#include <CLI/CLI.hpp>

#include "cli/aws_timeouts.hpp"

namespace regsweep::cli {

void add_source_options(CLI::App& sub, RegistrySource& source, SnapshotFlag snapshot_flag) {
  CLI::Option* snapshot = nullptr;
  if (snapshot_flag == SnapshotFlag::offered) {
    snapshot = sub.add_option("--snapshot", source.snapshot,
                              "Read images from a snapshot file (ECR DescribeImages JSON; '-' for "
                              "stdin)")
                   ->group("Source");
  }
  const auto group = "Source (ECR)";
  const auto ecr = [&](CLI::Option* option) {
    option->group(group);
    if (snapshot != nullptr) option->excludes(snapshot);
  };
  ecr(sub.add_option("--region", source.regions,
                     "AWS region of the registry (repeat for several)"));
  ecr(sub.add_option("--role-arn", source.role_arns,
                     "Assume this role from the base credentials (repeat for several accounts)"));
  ecr(sub.add_option("--external-id", source.external_id,
                     "External id to send when assuming each --role-arn (sts:ExternalId)"));
  ecr(sub.add_option("--profile", source.profile, "AWS profile for the base credentials"));
  ecr(sub.add_option("--endpoint-url", source.endpoint_url,
                     "ECR endpoint (an emulator, a VPC endpoint)"));
  ecr(sub.add_option("--registry-id", source.registry_id,
                     "Account id of the registry (default: the caller's)"));
  add_aws_timeout_options(sub, source.timeouts, group, snapshot);
}

void add_shard_options(CLI::App& sub, ShardFlags& flags) {
  const auto group = "Sharding (one worker of several)";
  sub.add_option("--shard-index", flags.index,
                 "This worker's shard, 0 to N-1 (default: JOB_COMPLETION_INDEX or "
                 "AWS_BATCH_JOB_ARRAY_INDEX)")
      ->group(group)
      ->check(CLI::NonNegativeNumber);
  sub.add_option("--shard-count", flags.count,
                 "Split the registries (account x region) over N workers; this one takes those "
                 "of its shard")
      ->group(group)
      ->check(CLI::PositiveNumber);
}

Result<std::optional<ShardSpec>> shard_of_flags(const ShardFlags& flags) {
  const auto given = [](long long v) { return v < 0 ? std::nullopt : std::optional<long long>(v); };
  return resolve_shard(given(flags.index), given(flags.count));
}

}  // namespace regsweep::cli
