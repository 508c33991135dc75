// IAM Identity Center (SSO) profiles, read the way botocore reads them (credentials.py
// SSOProvider, utils.py SSOTokenLoader): the profile names an account and a role
// (sso_account_id, sso_role_name) and either an [sso-session NAME] section (sso_session; the
// section holds sso_start_url and sso_region) or, in the legacy form, sso_start_url and sso_region
// itself. `aws sso login` leaves an access token in the AWS CLI's cache,
// ~/.aws/sso/cache/<sha1 hex of the session name, or of the start URL for legacy>.json
// ({"accessToken": ..., "expiresAt": ...}); regsweep reads it there and trades it for the role's
// credentials with the portal's GetRoleCredentials (GET /federation/credentials?role_name=&
// account_id= with the x-amz-sso_bearer_token header, unsigned) at
// https://portal.sso.<sso_region>.amazonaws.com, or wherever AWS_ENDPOINT_URL_SSO, the profile's
// [services] sso endpoint_url, AWS_ENDPOINT_URL or endpoint_url point (aws/endpoint.hpp).
//
// The token itself is never refreshed here (no OIDC CreateToken): an expired or refused token is
// an unauthorized error saying to run `aws sso login --profile NAME`. The token is re-read on
// every fetch, so a login in another terminal is picked up by a long run when its role
// credentials come up for renewal. Neither the token nor the credentials reach a message.
#pragma once

#include <optional>
#include <string>

#include "aws/aws_config.hpp"
#include "aws/credentials.hpp"
#include "http/http_client.hpp"

namespace regsweep {

struct SsoProfile {
  std::string profile;       // the profile's name, for messages and `aws sso login --profile`
  std::string session_name;  // sso_session; empty for the legacy form
  std::string start_url;
  std::string region;  // sso_region: where the portal is
  std::string account_id;
  std::string role_name;
};

// nullopt when the profile is not an SSO profile (none of sso_session, sso_start_url,
// sso_account_id, sso_role_name). invalid_input naming the file, the profile and the missing or
// conflicting key when it is one but incomplete, names a missing [sso-session], or disagrees with
// its session.
Result<std::optional<SsoProfile>> find_sso_profile(const AwsConfigFiles& files,
                                                   const AwsProfile& profile);

// <env.home>/.aws/sso/cache/<sha1>.json for this profile's session (or start URL).
std::string sso_token_cache_path(const SsoProfile& sso, const AwsEnvironment& env);

// The role's credentials: reads the cached token, checks it has not expired (by env.clock), calls
// GetRoleCredentials. `portal` is the profile whose endpoint settings apply (the selected one).
Result<AwsCredentials> sso_role_credentials(const SsoProfile& sso, const AwsEnvironment& env,
                                            const AwsProfile& portal, HttpClient& http);

}  // namespace regsweep
