// The snapshot use case (`regsweep snapshot`): a registry's repositories and images (with the
// manifests of indexes and artifacts) written in the snapshot format, so a plan can be reviewed
// offline or shared. Only complete listings are written; a repository whose listing failed is
// left out and named in the outcome.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/concurrency.hpp"
#include "app/events.hpp"
#include "app/scan.hpp"
#include "registry/registry.hpp"

namespace regsweep {

struct SnapshotRequest {
  std::vector<std::string> repository_globs;
  std::string path;  // "-": stdout
  int concurrency = k_default_concurrency;
};

// The inventory written (its skipped repositories were left out), or why nothing was.
Result<std::shared_ptr<const Inventory>> save_registry_snapshot(Registry& registry,
                                                                const SnapshotRequest& request,
                                                                Events& events);

// For one-shot processes (the CLI): loaded snapshots are freed by the OS at exit rather than image
// by image (registry/snapshot/snapshot_registry.hpp).
void keep_loaded_inventories_until_exit();

}  // namespace regsweep
