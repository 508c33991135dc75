// AWS Signature Version 4 verification for AWS JSON 1.1 requests (POST, no query string), as
// botocore, the AWS CLI and curl's CURLOPT_AWS_SIGV4 produce them. Any session token is accepted
// (X-Amz-Security-Token is only checked to be signed when present, as AWS requires). Failures carry
// the error AWS gives: MissingAuthenticationTokenException, IncompleteSignatureException,
// UnrecognizedClientException (unknown key), InvalidSignatureException (mismatch, wrong scope,
// date more than 15 minutes off).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api.hpp"
#include "store.hpp"

namespace ecr_emulator {

struct Credentials {
  std::string access_key;
  std::string secret_key;
  std::string region;
  // The emulator's account: temporary keys issued by STS for roles of this account are accepted
  // too (sts.hpp), with their session token.
  std::string account_id;
};

struct HttpRequestView {
  std::string method;
  std::string path;                                          // without the query
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  const std::string* body = nullptr;

  std::optional<std::string> header(const std::string& lower_name) const;
};

// nullopt when the signature is valid; otherwise the error to answer. `service` is the scope's
// service: "ecr", or "sts" for the STS endpoint (sts.hpp).
std::optional<ApiError> verify_sigv4(const HttpRequestView& request, const Credentials& credentials,
                                     Millis now, const std::string& service = "ecr");

}  // namespace ecr_emulator
