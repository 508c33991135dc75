// AWS Signature Version 4, computed by us rather than by curl (curl 7.88's built-in signer signs
// header-removal lines and cannot take our own X-Amz-Date; docs/research/ecr-api.md §5.4). Pure:
// the clock is a parameter, so the official test-suite vectors and docs/research/ecr-api.md §4.1
// pin it byte for byte.
//
// What is signed: every header of the request (names lower-cased, values trimmed with inner runs of
// spaces collapsed, repeated names joined with ','), except the ones proxies and curl may change or
// drop (user-agent, content-length, expect, accept-encoding, authorization); plus Host, derived
// from the URL (with the port when it is not the scheme's default) and added to the request so what
// is sent equals what is signed; plus X-Amz-Date and, with temporary credentials,
// X-Amz-Security-Token. The payload hash is SHA-256 of the body.
#pragma once

#include <string>
#include <string_view>

#include "aws/credentials.hpp"
#include "http/http_client.hpp"
#include "util/result.hpp"
#include "util/time.hpp"

namespace regsweep {

struct SigningScope {
  std::string region;   // "us-east-1"
  std::string service;  // "ecr", "sts"
};

// The intermediate values, for tests and for --debug (none of them is secret).
struct SigV4Trace {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signed_headers;  // "content-type;host;x-amz-date"
  std::string signature;       // 64 hex digits
  std::string authorization;   // the full Authorization header value
};

// Adds Host, X-Amz-Date, X-Amz-Security-Token (when the credentials have one) and Authorization
// to `request` (replacing any it had). invalid_input when the URL cannot be parsed.
Result<SigV4Trace> sign_request(HttpRequest& request, const AwsCredentials& credentials,
                                const SigningScope& scope, EpochMillis now);

// Helpers the signer is built from, exposed for tests and for other AWS code.
std::string sha256_hex(std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);  // raw 32 bytes
std::string to_hex(std::string_view bytes);
std::string amz_date(EpochMillis t);  // "20150830T123600Z"
// RFC 3986 percent-encoding of everything but unreserved characters (and '/' when keep_slash).
std::string aws_uri_encode(std::string_view text, bool keep_slash);
std::string url_decode(std::string_view text);

}  // namespace regsweep
