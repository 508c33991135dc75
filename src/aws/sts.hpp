// STS calls (docs/research/ecr-api.md §7.4): AssumeRole (SigV4-signed with the source credentials,
// service "sts") and AssumeRoleWithWebIdentity (unsigned) for the credential chain, and
// GetCallerIdentity (whose account a registry is), all in the query protocol with XML answers. The
// endpoint resolves like any service's (AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, the profile, else
// the regional https://sts.<region>.amazonaws.com), so tests point it at a local server. STS
// answers are small and its errors rare: a call is attempted 3 times at most, with the one back-off
// of the AWS clients (aws/retry_policy.hpp), on the config's clock (which also dates the
// signatures).
#pragma once

#include <memory>
#include <string>

#include "aws/aws_config.hpp"
#include "aws/credentials.hpp"
#include "http/http_client.hpp"
#include "util/clock.hpp"

namespace regsweep {

struct StsClientConfig {
  std::string endpoint_url;
  std::string signing_region;
  std::shared_ptr<HttpClient> http;
  Clock* clock = &system_clock();  // never null
};

constexpr int k_sts_max_attempts = 3;

// Regional endpoint for `region`, or the global one (signed for us-east-1) when region is empty;
// on env.clock.
Result<StsClientConfig> resolve_sts(const AwsEnvironment& env, const AwsProfile& profile,
                                    const std::string& region, std::shared_ptr<HttpClient> http);

struct AssumeRoleParams {
  std::string role_arn;
  std::string session_name;
  std::string external_id;   // optional
  int duration_seconds = 0;  // 0: STS's default (1 h)
};

Result<AwsCredentials> sts_assume_role(const StsClientConfig& sts, const AwsCredentials& source,
                                       const AssumeRoleParams& params);
Result<AwsCredentials> sts_assume_role_with_web_identity(const StsClientConfig& sts,
                                                         const AssumeRoleParams& params,
                                                         const Secret& token);

// Who the credentials belong to (needs no permission). `arn` is the user's, or for assumed roles
// arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION.
struct CallerIdentity {
  std::string account;
  std::string arn;
  std::string user_id;
};
Result<CallerIdentity> sts_get_caller_identity(const StsClientConfig& sts,
                                               const AwsCredentials& credentials);

// The text of the first <tag>...</tag>, XML entities decoded; "" when absent. Exposed for tests.
std::string xml_text(std::string_view xml, std::string_view tag);

}  // namespace regsweep
