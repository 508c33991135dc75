// The STS side of the emulator (issue 5): AssumeRole and GetCallerIdentity in the Query protocol
// (POST form body "Action=AssumeRole&RoleArn=...&RoleSessionName=...&Version=2011-06-15", SigV4
// service "sts"), answered in XML like AWS (AssumeRoleResponse/AssumeRoleResult/Credentials). It
// lets regsweep's
// --role-arn be tested locally.
//
// Temporary keys are stateless: AccessKeyId = "ASIA" + the role's 12-digit account + 4 random
// characters; the secret is an HMAC of the key id under the emulator's own secret key, and the
// session token carries the role ARN and session name, authenticated by an HMAC of the key id and
// them: "emulator-session/" + base64(ROLE_ARN "\n" SESSION) + "." + base64(HMAC). So any emulator
// started with the same --secret-key and --account-id N accepts the keys of roles in account N
// (signed with the matching X-Amz-Security-Token), whichever emulator issued them, and knows the
// role behind each: one emulator process per (account, region) models several accounts, and
// GetCallerIdentity and pull-time exclusions see the real assumed role. STS itself, global on
// AWS, accepts temporary keys of any account. Expirations are reported (DurationSeconds, default
// 3600) but not enforced.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "api.hpp"
#include "sigv4.hpp"

namespace ecr_emulator {

// Who a temporary key was issued to (AssumeRole's RoleArn and RoleSessionName).
struct SessionIdentity {
  std::string role_arn;
  std::string session_name;
};

// The secret of a temporary key issued for `credentials.account_id`; nullopt when `access_key` is
// not one.
std::optional<std::string> temporary_secret(const Credentials& credentials,
                                            const std::string& access_key);
std::string temporary_session_token(const Credentials& credentials, const std::string& access_key,
                                    const SessionIdentity& identity);
// The identity `token` carries when it is the session token of `access_key`; nullopt otherwise.
std::optional<SessionIdentity> session_identity(const Credentials& credentials,
                                                const std::string& access_key,
                                                const std::string& token);

// The caller of a request, as GetCallerIdentity names it.
struct Principal {
  std::string account;
  std::string arn;      // arn:aws:iam::ACCOUNT:user/emulator or ...:sts::ACCOUNT:assumed-role/R/S
  std::string iam_arn;  // the IAM user or role: what a pull-time exclusion names
  std::string user_id;
};
// The base key is the IAM user "emulator" of the emulator's account; a temporary key is a session
// of the role its token names. nullopt for a request without a recognisable key (possible only
// with --no-verify-signature).
std::optional<Principal> request_principal(const HttpRequestView& request,
                                           const Credentials& credentials);

// A POST that is an STS Query call rather than an ECR JSON call (no X-Amz-Target, a form body).
bool is_sts_request(const HttpRequestView& request);

struct StsReply {
  int status = 200;
  std::string body;    // XML
  std::string action;  // for the counters: "AssumeRole", or what was asked
};

// Roles whose trust policy demands an external id (--require-external-id ROLE_ARN=ID): AssumeRole
// of such a role without exactly that ExternalId is AccessDenied, as on AWS. Other roles accept
// any ExternalId, or none.
using RequiredExternalIds = std::map<std::string, std::string>;

// Verifies the signature (service "sts"), then answers the action.
StsReply handle_sts(const HttpRequestView& request, const Credentials& credentials,
                    bool verify_signature, Millis now,
                    const RequiredExternalIds& required_external_ids = {});

}  // namespace ecr_emulator
