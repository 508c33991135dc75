// Snapshot documents in and out: the format of `regsweep plan --snapshot`,
//   {"registryId"?, "region"?, "repositories": [{"repositoryName", "registryId"?, "createdAt"?,
//     "lifecyclePolicyText"?, "imageTagMutability"?, "imageDetails": [DescribeImages imageDetail +
//     optional "imageManifest"]}]}
// Timestamps are epoch-second numbers or ISO 8601 strings. An image without "imageDigest" but with
// "imageManifest" gets the manifest's sha256. Loading uses simdjson (1,000,000 images in seconds).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api.hpp"
#include "store.hpp"

namespace ecr_emulator {

enum class SeedMode {
  replace,  // the document becomes the whole state
  merge,    // repositories are created or updated; listed images are (re)pushed
};

// Returns an error message ("seed: repositories[2].imageDetails[5].imagePushedAt: ...") on a bad
// document; the store is then unchanged. Takes the store's write lock itself.
std::optional<std::string> load_snapshot(std::string_view json, Store& store, SeedMode mode,
                                         Millis now);
std::optional<std::string> load_snapshot_file(const std::string& path, Store& store, Millis now);

// The current state in the same format (with manifests and lifecycle policies), as of `now`
// (imageStatus: a restore whose time has come shows ACTIVE).
std::string dump_snapshot(const Store& store, Millis now);

}  // namespace ecr_emulator
