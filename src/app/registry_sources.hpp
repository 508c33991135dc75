// Where images come from, for every use case: a snapshot file, or ECR — every (account, region)
// pair named by repeated regions and role ARNs, each with its own AWS session (the role assumed
// from the base credentials) and its own ECR client. Opening contacts nothing but the credential
// chain (an assumed role); a registry learns its account later, when asked (Registry::identity).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/shard.hpp"
#include "aws/call_counter.hpp"
#include "aws/timeouts.hpp"
#include "registry/registry.hpp"
#include "util/result.hpp"

namespace regsweep {

struct RegistrySource {
  std::string snapshot;  // a snapshot file ("-": stdin) instead of ECR; excludes the rest
  std::vector<std::string> regions;    // empty: the one resolved like the AWS CLI does
  std::vector<std::string> role_arns;  // empty: the base credentials
  std::string external_id;             // sent when assuming each of role_arns (--external-id)
  std::string profile;
  std::string endpoint_url;
  std::string registry_id;  // another account's registry (cross-account access)
  AwsTimeouts timeouts;
  // Only the registries of this shard (app/shard.hpp) are opened; unset: all of them.
  std::optional<ShardSpec> shard = std::nullopt;
  bool live() const { return snapshot.empty(); }
};

struct OpenedRegistry {
  std::string label;  // how reports name it: "111111111111/eu-west-1", "eu-west-1", a snapshot
  std::unique_ptr<Registry> registry;
  std::string account;  // the role's account or --registry-id; empty: the caller's own (ask
                        // registry->identity() for the real one)
  std::string region;   // empty for a snapshot
  // The requests its clients sent, per operation (null for a snapshot): reports' apiCalls.
  std::shared_ptr<const CallCounter> calls = nullptr;
  // Who calls this registry: the ARN STS GetCallerIdentity names for the session's credentials
  // (asked when called; unset for a snapshot). For pull-time update exclusions.
  std::function<Result<std::string>()> caller_arn = nullptr;
};

// The requests the registries' clients sent so far, summed per operation.
ApiCalls api_calls_of(const std::vector<OpenedRegistry>& opened);

// Fails whole (nothing contacted beyond credential resolution) if any pair cannot be opened.
// Messages name the flag: "--snapshot FILE: ...", "--role-arn: ...". With a shard, only the pairs
// it owns are opened; a pair whose account the flags do not tell (the base credentials without
// --registry-id) is asked for it first (Registry::identity()), and one that cannot be known fails
// the whole open — it might be this shard's.
Result<std::vector<OpenedRegistry>> open_registries(const RegistrySource& source);

// For commands that work on one registry (delete, snapshot): invalid_input before anything is
// opened when the source names several (account x region) pairs; `command` names it.
Status check_one_registry(const RegistrySource& source, const std::string& command);

// For commands that change a registry (delete, restore, journal restore, setup): a snapshot is
// refused before anything is opened, since it is read-only.
Status check_live_registry(const RegistrySource& source, const std::string& command);

// "arn:aws:iam::111111111111:role/x" -> "111111111111"; empty when it is not a role ARN (a 12-digit
// account, no control character).
std::string account_of_role(const std::string& role_arn);

// The role ARNs and external id of a source, checked before any of them is assumed: each ARN a
// role ARN, the external id only with a role and as STS allows it (2 to 1224 of letters, digits
// and +=,.@:/-_). `role_flag` and `external_id_flag` name them in messages ("--role-arn",
// "targets[0].role_arns").
Status check_roles(const std::vector<std::string>& role_arns, const std::string& external_id,
                   const std::string& role_flag, const std::string& external_id_flag);
// The external id part of check_roles; `has_roles`: a role is named.
Status check_external_id(const std::string& external_id, bool has_roles,
                         const std::string& role_flag, const std::string& external_id_flag);

}  // namespace regsweep
