// Region and endpoint resolution the way the AWS CLI v2 does it (docs/research/ecr-api.md §8).
//   region:   --region, AWS_REGION, AWS_DEFAULT_REGION, the profile's `region`.
//   endpoint: --endpoint-url, AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the profile's
//             [services x] <service>.endpoint_url, the profile's endpoint_url (the configured ones
//             are ignored when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true); else the default host:
//             https://api.ecr.<region>.amazonaws.com (amazonaws.com.cn for cn-*), or with FIPS
//             (AWS_USE_FIPS_ENDPOINT=true / use_fips_endpoint = true) https://ecr-fips.<region>....
// Signing always uses the plain region and the service's signing name, whatever the host.
#pragma once

#include <string>

#include "aws/aws_config.hpp"
#include "util/result.hpp"

namespace regsweep {

// How one service's default and configured endpoints are named.
struct ServiceEndpointNames {
  std::string env_suffix;    // "ECR" for AWS_ENDPOINT_URL_ECR
  std::string services_key;  // "ecr" in a [services x] section
  std::string host_prefix;   // "api.ecr" -> api.ecr.<region>.<suffix>
  std::string fips_prefix;   // "ecr-fips" -> ecr-fips.<region>.<suffix>
};

inline ServiceEndpointNames ecr_endpoint_names() {
  return {"ECR", "ecr", "api.ecr", "ecr-fips"};
}
inline ServiceEndpointNames sts_endpoint_names() {
  return {"STS", "sts", "sts", "sts-fips"};
}
// The IAM Identity Center portal (GetRoleCredentials), in the profile's sso_region.
inline ServiceEndpointNames sso_endpoint_names() {
  return {"SSO", "sso", "portal.sso", "portal.sso-fips"};
}

// Lower-case letters, digits and '-', 1 to 64 of them: what may go into a host name.
bool is_region_name(const std::string& name);

// "" when no source names a region.
std::string find_region(const std::string& flag, const AwsEnvironment& env,
                        const AwsProfile& profile);
// invalid_input (exit 2) when none is found or the name is not a region name.
Result<std::string> resolve_region(const std::string& flag, const AwsEnvironment& env,
                                   const AwsProfile& profile);

// "amazonaws.com", or the partition's suffix for cn-* and the ISO regions.
std::string dns_suffix(const std::string& region);

// The endpoint URL to call; invalid_input when a configured URL is malformed.
Result<std::string> resolve_endpoint_url(const ServiceEndpointNames& names, const std::string& flag,
                                         const std::string& region, const AwsEnvironment& env,
                                         const AwsProfile& profile);

}  // namespace regsweep
