// The STS side of the emulator (issue 5): AssumeRole and GetCallerIdentity in the Query protocol
// (POST form body "Action=AssumeRole&RoleArn=...&RoleSessionName=...&Version=2011-06-15", SigV4
// service "sts"), answered in XML like AWS (AssumeRoleResponse/AssumeRoleResult/Credentials). It
// lets regsweep's
// --role-arn be tested locally.
//
// Temporary keys are stateless: AccessKeyId = "ASIA" + the role's 12-digit account + 4 random
// characters; the secret and the session token are HMACs of the key id under the emulator's own
// secret key. So any emulator started with the same --secret-key and --account-id N accepts the
// keys of roles in account N (signed with the matching X-Amz-Security-Token), whichever emulator
// issued them: one emulator process per (account, region) models several accounts. Expirations are
// reported (DurationSeconds, default 3600) but not enforced.
#pragma once

#include <optional>
#include <string>

#include "api.hpp"
#include "sigv4.hpp"

namespace ecr_emulator {

// The secret of a temporary key issued for `credentials.account_id`; nullopt when `access_key` is
// not one.
std::optional<std::string> temporary_secret(const Credentials& credentials,
                                            const std::string& access_key);
std::string temporary_session_token(const Credentials& credentials, const std::string& access_key);

// A POST that is an STS Query call rather than an ECR JSON call (no X-Amz-Target, a form body).
bool is_sts_request(const HttpRequestView& request);

struct StsReply {
  int status = 200;
  std::string body;    // XML
  std::string action;  // for the counters: "AssumeRole", or what was asked
};

// Verifies the signature (service "sts"), then answers the action.
StsReply handle_sts(const HttpRequestView& request, const Credentials& credentials,
                    bool verify_signature, Millis now);

}  // namespace ecr_emulator
