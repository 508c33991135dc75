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

}  // namespace regsweep::cli
