// AWS credentials and the provider chain, resolved in the AWS CLI's order (docs/research/ecr-api.md
// §7): environment; --profile / AWS_PROFILE from the shared credentials and config files (incl.
// role_arn with source_profile or credential_source, credential_process); web identity
// (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN); container credentials (ECS, EKS Pod Identity);
// IMDSv2. Providers cache and refresh credentials before they expire, so long runs keep working.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "http/http_client.hpp"
#include "util/clock.hpp"
#include "util/result.hpp"
#include "util/secret.hpp"
#include "util/time.hpp"

namespace regsweep {

struct AwsCredentials {
  std::string access_key_id;  // not secret by itself, but only ever logged truncated
  Secret secret_access_key;
  Secret session_token;                   // empty for long-term keys
  std::optional<EpochMillis> expiration;  // when temporary credentials stop working
  std::string source;                     // "environment", "profile dev", "web identity", ...
};

class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  // Current credentials, refreshed when within a few minutes of expiry. Thread-safe.
  virtual Result<AwsCredentials> credentials() = 0;
  // Drops cached credentials so the next credentials() fetches anew (after ExpiredTokenException).
  virtual void invalidate() {}
};

// The process environment and clock as values, so tests control them.
struct AwsEnvironment {
  std::map<std::string, std::string> variables;  // e.g. from environ
  std::string home;                              // for ~/.aws
  Clock* clock = &system_clock();                // time for expiry, signing, back-off; not null
  static AwsEnvironment from_process();
};

struct CredentialOptions {
  std::string profile;      // --profile; empty: AWS_PROFILE or "default"
  std::string role_arn;     // --role-arn: AssumeRole on top of the chain's credentials
  std::string external_id;  // --external-id: sent with that AssumeRole (the role's trust policy
                            // may demand it); never with the profile's own role_arn
  std::string role_session_name = "regsweep";
  std::string region;  // --region, for the STS endpoint; empty: AWS_REGION, ..., the profile's
};

// Fixed credentials (tests, and long-term keys found by the chain).
std::shared_ptr<CredentialsProvider> make_static_credentials_provider(AwsCredentials credentials);

// The default chain. Fails with unauthorized naming every source tried when none has credentials.
Result<std::shared_ptr<CredentialsProvider>> make_default_credentials_chain(
    const CredentialOptions& options, const AwsEnvironment& env, std::shared_ptr<HttpClient> http);

}  // namespace regsweep
