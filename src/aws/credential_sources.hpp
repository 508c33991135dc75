// The individual places credentials come from; the chain in credentials.cpp orders them. Each
// returns std::nullopt when the source is not configured or not present (the chain moves on), and
// an Error when it is configured but broken (the chain stops and reports it, like the AWS CLI).
// None of the messages contains a secret or a token: process output and HTTP bodies are never
// echoed. Every source refuses a key id, secret or session token holding a control character
// (check_credential_characters): they end up in HTTP headers, where CR/LF would add headers.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "aws/aws_config.hpp"
#include "aws/credentials.hpp"
#include "http/http_client.hpp"

namespace regsweep {

using OptionalCredentials = Result<std::optional<AwsCredentials>>;

// How one source names its three values in messages, e.g. AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
// AWS_SESSION_TOKEN for the environment.
struct CredentialFieldNames {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
};

// An Error with `code` reading "<where>: <field>: contains a control character; fix: ..." when the
// key id, secret or session token holds one (any byte below 0x20, tab included, or DEL); never
// quotes the value.
Status check_credential_characters(const AwsCredentials& creds, const std::string& where,
                                   const CredentialFieldNames& names, ErrorCode code);

// AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN or the legacy
// AWS_SECURITY_TOKEN). Only one of the pair set is an error.
OptionalCredentials environment_credentials(const AwsEnvironment& env);

// aws_access_key_id + aws_secret_access_key (+ aws_session_token) of one file section.
OptionalCredentials section_credentials(const IniSection& section, const std::string& source);

// Runs `command` without a shell (split like a POSIX shell would), reads its JSON from stdout:
// {"Version":1,"AccessKeyId":...,"SecretAccessKey":...,"SessionToken":...,"Expiration":...}.
Result<AwsCredentials> process_credentials(const std::string& command, const std::string& source);
// Shell-like word splitting with quotes and backslashes; exposed for tests.
Result<std::vector<std::string>> split_command(const std::string& command);

// ECS / EKS Pod Identity: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (against 169.254.170.2) or
// AWS_CONTAINER_CREDENTIALS_FULL_URI (https anywhere; http only to loopback or the ECS/EKS
// link-local hosts), with AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (re-read on every fetch) or
// AWS_CONTAINER_AUTHORIZATION_TOKEN. nullopt when neither URI variable is set.
bool container_credentials_configured(const AwsEnvironment& env);
Result<AwsCredentials> container_credentials(const AwsEnvironment& env, HttpClient& http);

// IMDSv2: PUT /latest/api/token, then the role name, then its credentials. Endpoint from
// AWS_EC2_METADATA_SERVICE_ENDPOINT (or ..._MODE=IPv6), default http://169.254.169.254; disabled by
// AWS_EC2_METADATA_DISABLED=true. nullopt when disabled or nothing answers (no IMDSv1 fallback).
bool imds_disabled(const AwsEnvironment& env);
std::string imds_endpoint(const AwsEnvironment& env);
OptionalCredentials imds_credentials(const AwsEnvironment& env, HttpClient& http);

// Credentials JSON as ECS, EKS and IMDS serve them ("Token" for the session token).
Result<AwsCredentials> parse_metadata_credentials(const std::string& body, const std::string& what);

}  // namespace regsweep
