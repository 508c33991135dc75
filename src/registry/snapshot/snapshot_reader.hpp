// Snapshot files -> Inventory. A snapshot is ECR's own DescribeImages shape
// (docs/snapshot-format.md):
//   {"repositories": [{"repositoryName": "app", "registryId": "1234...", "imageDetails": [...]}]}
// and a plain `aws ecr describe-images` output ({"imageDetails": [...]}, repositoryName inside each
// imageDetail) is accepted too. Timestamps are epoch seconds (numbers, as the API sends them) or
// ISO 8601 strings (as the AWS CLI v2 prints them). An optional `imageManifest` string is read for
// an index's manifests[].digest and an artifact's subject.digest. Unknown keys are ignored, as
// ECR's own clients must; null counts as absent.
//
// Built for large files (a million images parse in well under a second): simdjson On-Demand, no
// DOM. Errors (invalid_input) name the file, line and column, the JSON path, the problem and the
// fix:
//   demo.json:812:23: repositories[3].imageDetails[17].imagePushedAt: expected epoch seconds or an
//   ISO 8601 string, got true; write e.g. 1714564800 or "2024-05-01T12:00:00Z"
#pragma once

#include <string>
#include <string_view>

#include "model/image.hpp"
#include "util/result.hpp"

namespace regsweep {

// Parses snapshot text; `source_name` is what messages call it (a path, "<stdin>").
Result<Inventory> parse_snapshot(std::string_view json, std::string_view source_name);

// Reads and parses a snapshot file ("-" reads standard input).
Result<Inventory> load_snapshot(const std::string& path);

// The digests a manifest body refers to: an image index's manifests[].digest (children) and an OCI
// artifact's subject.digest. Fails on text that is not a JSON object.
struct ManifestRefs {
  std::vector<std::string> children;
  std::optional<std::string> subject;
};
Result<ManifestRefs> read_manifest_refs(std::string_view manifest);

}  // namespace regsweep
