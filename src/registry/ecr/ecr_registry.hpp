// The ECR backend: the Registry interface over the ECR API (AWS JSON 1.1). DescribeRepositories and
// DescribeImages are read page by page (1,000 images a page); manifests of image indexes and
// artifacts come from BatchGetImage; deletions go 100 ids per BatchDeleteImage call with every
// per-item failure reported. A listing that fails on any page fails whole.
#pragma once

#include <memory>
#include <string>

#include "aws/json_rpc.hpp"
#include "registry/registry.hpp"

namespace regsweep {

struct EcrTarget {
  std::string region;
  std::string registry_id;  // --registry-id; empty: the caller's account
};

std::unique_ptr<Registry> make_ecr_registry(EcrTarget target,
                                            std::shared_ptr<AwsJsonClient> client);

}  // namespace regsweep
