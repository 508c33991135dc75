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
  ecr(sub.add_option("--profile", source.profile, "AWS profile for the base credentials"));
  ecr(sub.add_option("--endpoint-url", source.endpoint_url,
                     "ECR endpoint (an emulator, a VPC endpoint)"));
  ecr(sub.add_option("--registry-id", source.registry_id,
                     "Account id of the registry (default: the caller's)"));
  add_aws_timeout_options(sub, source.timeouts, group, snapshot);
}

}  // namespace regsweep::cli
