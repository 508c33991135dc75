// Where images come from, shared by every command that reads a registry (plan now; apply, snapshot
// and the policy commands later): a snapshot file, or ECR (--region, --profile, --endpoint-url,
// --registry-id, resolved like the AWS SDKs do). Exactly one source: --snapshot excludes the ECR
// flags. Without --snapshot the source is live ECR (the AWS session of src/aws/session.hpp).
#pragma once

#include <memory>
#include <string>

#include "cli/ecr_fleet.hpp"
#include "registry/registry.hpp"
#include "util/result.hpp"

namespace CLI {
class App;
}

namespace regsweep::cli {

struct SourceOptions {
  std::string snapshot;
  std::string region;
  std::string profile;
  std::string endpoint_url;
  std::string registry_id;
  AwsTimeouts timeouts;  // --cli-connect-timeout, --cli-read-timeout

  bool uses_ecr() const {
    return !region.empty() || !profile.empty() || !endpoint_url.empty() || !registry_id.empty();
  }
};

void add_source_options(CLI::App& sub, SourceOptions& options);

// Opens the chosen source; invalid_input for a bad combination or an unreadable snapshot.
Result<std::unique_ptr<Registry>> open_source(const SourceOptions& options);

// The source of `plan`, `apply` and `policy preview`: a snapshot, or a fleet of ECR registries —
// every (account, region) pair of repeated --region and --role-arn (cli/ecr_fleet.hpp). One
// --region and no --role-arn is exactly the single registry of SourceOptions.
struct FleetSourceOptions {
  std::string snapshot;
  EcrFleetOptions ecr;
};

void add_fleet_source_options(CLI::App& sub, FleetSourceOptions& options);

// The snapshot (labelled by its describe()) or every registry of the fleet; fails whole when any
// one cannot be opened.
Result<std::vector<OpenedRegistry>> open_fleet_source(const FleetSourceOptions& options);

}  // namespace regsweep::cli
