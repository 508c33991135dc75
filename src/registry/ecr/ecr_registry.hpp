// The ECR backend: the Registry interface over the ECR API (AWS JSON 1.1). DescribeRepositories and
// DescribeImages are read page by page (1,000 images a page); manifests of image indexes and
// artifacts come from BatchGetImage; deletions go 100 ids per BatchDeleteImage call with every
// per-item failure reported. A listing that fails on any page fails whole. identity() answers the
// registry's account: --registry-id or the role's, else the registryId ECR returns with the
// repositories (one DescribeRepositories call of one result), else the caller's own account.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "aws/json_rpc.hpp"
#include "registry/registry.hpp"

namespace regsweep {

struct EcrTarget {
  std::string region;
  std::string registry_id;  // --registry-id or a role's account; empty: the caller's account
  // Who the caller is (STS GetCallerIdentity's account), asked by identity() only when
  // registry_id is empty and no repository has told it (an empty registry); unset: unknown.
  std::function<Result<std::string>()> caller_account;
};

std::unique_ptr<Registry> make_ecr_registry(EcrTarget target,
                                            std::shared_ptr<AwsJsonClient> client);

}  // namespace regsweep
