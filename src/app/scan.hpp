// The scan use case: a Registry -> Inventory. Lists the repositories (filtered by --repository-name
// globs), then every image of each. A repository whose listing fails is skipped whole and reported
// in Inventory::skipped with the reason, never planned on partial data (ARCHITECTURE.md safety rule
// 1); only a failure to list the repositories at all fails the scan.
//
// A snapshot already holds its whole Inventory in memory (Registry::loaded_inventory()); scanning
// one shares it instead of copying a million images through list_images() (the copy would double
// the memory of `plan`).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/concurrency.hpp"
#include "model/image.hpp"
#include "registry/registry.hpp"
#include "util/result.hpp"

namespace regsweep {

struct ScanOptions {
  std::vector<std::string> repository_globs;  // '*' and '?'; empty: every repository
  // Called after each repository is listed (or skipped): repositories done, total. Called from
  // worker threads, one call at a time.
  std::function<void(std::size_t done, std::size_t total)> on_progress;
  int concurrency =
      k_default_concurrency;  // repositories listed at once (the backend paces its own API calls)
};

Result<std::shared_ptr<const Inventory>> scan_registry(Registry& registry,
                                                       const ScanOptions& options);

}  // namespace regsweep
