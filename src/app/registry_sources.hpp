// Where images come from, for every use case: a snapshot file, or ECR — every (account, region)
// pair named by repeated regions and role ARNs, each with its own AWS session (the role assumed
// from the base credentials) and its own ECR client. Opening contacts nothing but the credential
// chain (an assumed role); a registry learns its account later, when asked (Registry::identity).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "aws/call_counter.hpp"
#include "aws/timeouts.hpp"
#include "registry/registry.hpp"
#include "util/result.hpp"

namespace regsweep {

struct RegistrySource {
  std::string snapshot;  // a snapshot file ("-": stdin) instead of ECR; excludes the rest
  std::vector<std::string> regions;    // empty: the one resolved like the AWS CLI does
  std::vector<std::string> role_arns;  // empty: the base credentials
  std::string profile;
  std::string endpoint_url;
  std::string registry_id;  // another account's registry (cross-account access)
  AwsTimeouts timeouts;
  bool live() const { return snapshot.empty(); }
};

struct OpenedRegistry {
  std::string label;  // how reports name it: "111111111111/eu-west-1", "eu-west-1", a snapshot
  std::unique_ptr<Registry> registry;
  std::string account;  // the role's account or --registry-id; empty: the caller's own (ask
                        // registry->identity() for the real one)
  std::string region;   // empty for a snapshot
  // The requests its clients sent, per operation (null for a snapshot): reports' apiCalls.
  std::shared_ptr<const CallCounter> calls;
};

// The requests the registries' clients sent so far, summed per operation.
ApiCalls api_calls_of(const std::vector<OpenedRegistry>& opened);

// Fails whole (nothing contacted beyond credential resolution) if any pair cannot be opened.
// Messages name the flag: "--snapshot FILE: ...", "--role-arn: ...".
Result<std::vector<OpenedRegistry>> open_registries(const RegistrySource& source);

// "arn:aws:iam::111111111111:role/x" -> "111111111111"; empty when it is not a role ARN.
std::string account_of_role(const std::string& role_arn);

}  // namespace regsweep
