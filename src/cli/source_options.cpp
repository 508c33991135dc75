#include "cli/source_options.hpp"

#include <CLI/CLI.hpp>

#include "aws/session.hpp"
#include "registry/ecr/ecr_registry.hpp"
#include "registry/snapshot/snapshot_registry.hpp"

namespace regsweep::cli {

namespace {

// The reader's messages name the file, line and column; the flag is named here.
Result<std::unique_ptr<SnapshotRegistry>> open_snapshot(const std::string& path) {
  auto snapshot = SnapshotRegistry::open(path);
  if (!snapshot.ok()) {
    Error error = std::move(snapshot).take_error();
    error.message = "--snapshot " + error.message;
    return error;
  }
  return snapshot;
}

}  // namespace

void add_source_options(CLI::App& sub, SourceOptions& options) {
  auto* snapshot =
      sub.add_option("--snapshot", options.snapshot,
                     "Read images from a snapshot file (ECR DescribeImages JSON; '-' for stdin)")
          ->group("Source");
  const auto ecr_flag = [&](const char* name, std::string& target, const char* help) {
    sub.add_option(name, target, help)->group("Source (ECR)")->excludes(snapshot);
  };
  ecr_flag("--region", options.region, "AWS region of the registry");
  ecr_flag("--profile", options.profile, "AWS profile to use");
  ecr_flag("--endpoint-url", options.endpoint_url, "ECR endpoint (an emulator, a VPC endpoint)");
  ecr_flag("--registry-id", options.registry_id,
           "Account id of the registry (default: the caller's)");
  add_aws_timeout_options(sub, options.timeouts, "Source (ECR)", snapshot);
}

Result<std::unique_ptr<Registry>> open_source(const SourceOptions& options) {
  if (!options.snapshot.empty()) {
    auto snapshot = open_snapshot(options.snapshot);
    if (!snapshot.ok()) return std::move(snapshot).take_error();
    return std::unique_ptr<Registry>(std::move(snapshot).value());
  }
  // No snapshot: live ECR, with region, endpoint and credentials resolved like the AWS CLI does
  // (flags, then AWS_* variables, then the profile). Calls are paced by the session
  // (aws/rate_control.hpp).
  AwsSessionOptions session_options;
  session_options.region = options.region;
  session_options.profile = options.profile;
  session_options.endpoint_url = options.endpoint_url;
  options.timeouts.apply_to(session_options);
  auto session = open_aws_session(session_options);
  if (!session.ok()) return std::move(session).take_error();
  std::shared_ptr<AwsJsonClient> client = make_ecr_json_client(*session);
  return make_ecr_registry(
      EcrTarget{session->region, options.registry_id, caller_account(session->caller_identity)},
      std::move(client));
}

void add_fleet_source_options(CLI::App& sub, FleetSourceOptions& options) {
  auto* snapshot =
      sub.add_option("--snapshot", options.snapshot,
                     "Read images from a snapshot file (ECR DescribeImages JSON; '-' for stdin)")
          ->group("Source");
  EcrFleetOptions& ecr = options.ecr;
  const auto group = "Source (ECR)";
  sub.add_option("--region", ecr.regions, "AWS region of the registry (repeat for several)")
      ->group(group)
      ->excludes(snapshot);
  sub.add_option("--role-arn", ecr.role_arns,
                 "Assume this role from the base credentials (repeat for several accounts)")
      ->group(group)
      ->excludes(snapshot);
  sub.add_option("--profile", ecr.profile, "AWS profile for the base credentials")
      ->group(group)
      ->excludes(snapshot);
  sub.add_option("--endpoint-url", ecr.endpoint_url, "ECR endpoint (an emulator, a VPC endpoint)")
      ->group(group)
      ->excludes(snapshot);
  sub.add_option("--registry-id", ecr.registry_id,
                 "Account id of the registry (default: the caller's)")
      ->group(group)
      ->excludes(snapshot);
  add_aws_timeout_options(sub, ecr.timeouts, group, snapshot);
}

Result<std::vector<OpenedRegistry>> open_fleet_source(const FleetSourceOptions& options) {
  if (options.snapshot.empty()) return open_ecr_fleet(options.ecr);
  auto snapshot = open_snapshot(options.snapshot);
  if (!snapshot.ok()) return std::move(snapshot).take_error();
  std::vector<OpenedRegistry> opened;
  OpenedRegistry entry;
  entry.registry = std::unique_ptr<Registry>(std::move(snapshot).value());
  entry.label = entry.registry->describe();
  opened.push_back(std::move(entry));
  return opened;
}

}  // namespace regsweep::cli
