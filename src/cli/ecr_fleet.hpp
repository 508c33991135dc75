// Opening many ECR registries at once: every (account, region) pair named by repeated --region and
// --role-arn flags (or by a config target). Each pair gets its own AWS session — the role is
// assumed from the base credentials — and its own paced ECR client. Labels name the pair in
// reports: "111111111111/eu-west-1", or just the region for the base credentials' own account.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "aws/sts.hpp"
#include "cli/aws_timeouts.hpp"
#include "registry/registry.hpp"
#include "util/result.hpp"

namespace CLI {
class App;
}

namespace regsweep::cli {

struct EcrFleetOptions {
  std::vector<std::string> regions;    // empty: the one resolved like the AWS CLI does
  std::vector<std::string> role_arns;  // empty: the base credentials
  std::string profile;
  std::string endpoint_url;
  std::string registry_id;
  AwsTimeouts timeouts;  // --cli-connect-timeout, --cli-read-timeout
};

struct OpenedRegistry {
  std::string label;
  std::unique_ptr<Registry> registry;
  std::string account;  // the role's account or --registry-id; empty: the caller's own
  std::string region;   // empty for a snapshot
};

// --region (repeatable), --role-arn (repeatable), --profile, --endpoint-url, --registry-id,
// --cli-connect-timeout, --cli-read-timeout.
void add_ecr_fleet_options(CLI::App& sub, EcrFleetOptions& options);

// Fails whole (nothing contacted beyond credential resolution) if any pair cannot be opened.
Result<std::vector<OpenedRegistry>> open_ecr_fleet(const EcrFleetOptions& options);

// The account of a session's caller identity, for EcrTarget::caller_account.
std::function<Result<std::string>()> caller_account(
    std::function<Result<CallerIdentity>()> caller_identity);

// "arn:aws:iam::111111111111:role/x" -> "111111111111"; empty when it is not a role ARN.
std::string account_of_role(const std::string& role_arn);

}  // namespace regsweep::cli
