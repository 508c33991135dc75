// Where images come from, shared by every command that reads a registry (plan now; apply, snapshot
// and the policy commands later): a snapshot file, or ECR (--region, --profile, --endpoint-url,
// --registry-id, resolved like the AWS SDKs do). Exactly one source: --snapshot excludes the ECR
// flags. Without --snapshot the source is live ECR (the AWS session of src/aws/session.hpp).
#pragma once

#include <memory>
#include <string>

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

  bool uses_ecr() const {
    return !region.empty() || !profile.empty() || !endpoint_url.empty() || !registry_id.empty();
  }
};

void add_source_options(CLI::App& sub, SourceOptions& options);

// Opens the chosen source; invalid_input for a bad combination or an unreadable snapshot.
Result<std::unique_ptr<Registry>> open_source(const SourceOptions& options);

}  // namespace regsweep::cli
