// SigV4 verification (sigv4.hpp): rebuild the canonical request from what was received, derive the
// signing key from the configured secret, compare in constant time.
#include "sigv4.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "crypto.hpp"
#include "sts.hpp"

namespace ecr_emulator {

std::optional<std::string> HttpRequestView::header(const std::string& lower_name) const {
  for (const auto& [name, value] : headers)
    if (name == lower_name) return value;
  return std::nullopt;
}

namespace {

std::string trim_collapse(const std::string& value) {
  std::string out;
  bool space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::optional<Millis> parse_amz_date(const std::string& text) {
  std::tm tm{};
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') return std::nullopt;
  if (std::sscanf(text.c_str(), "%4d%2d%2dT%2d%2d%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<Millis>(timegm(&tm)) * 1000;
}

std::string format_amz_date(Millis t) {
  std::time_t seconds = static_cast<std::time_t>(t / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char out[17];
  std::strftime(out, sizeof out, "%Y%m%dT%H%M%SZ", &tm);
  return out;
}

ApiError invalid_signature(const std::string& message) {
  return ApiError(400, "InvalidSignatureException", message);
}

// "k1=v1, k2=v2" after the algorithm name.
std::optional<std::string> auth_part(const std::string& auth, const std::string& key) {
  std::size_t at = auth.find(key + "=");
  if (at == std::string::npos) return std::nullopt;
  std::size_t start = at + key.size() + 1;
  std::size_t end = auth.find_first_of(", ", start);
  return auth.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t at = text.find(sep, start);
    parts.push_back(text.substr(start, at - start));
    if (at == std::string::npos) return parts;
    start = at + 1;
  }
}

}  // namespace

std::optional<ApiError> verify_sigv4(const HttpRequestView& request, const Credentials& credentials,
                                     Millis now, const std::string& service) {
  auto auth = request.header("authorization");
  if (!auth)
    return ApiError(400, "MissingAuthenticationTokenException", "Missing Authentication Token");
  if (!auth->starts_with("AWS4-HMAC-SHA256 ")) {
    return ApiError(400, "IncompleteSignatureException",
                    "Unsupported AWS 'algorithm': '" + auth->substr(0, auth->find(' ')) + "'");
  }
  auto credential = auth_part(*auth, "Credential");
  auto signed_headers = auth_part(*auth, "SignedHeaders");
  auto signature = auth_part(*auth, "Signature");
  if (!credential || !signed_headers || !signature) {
    return ApiError(
        400, "IncompleteSignatureException",
        "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters");
  }
  auto scope = split(*credential, '/');
  if (scope.size() != 5 || scope[4] != "aws4_request") {
    return ApiError(400, "IncompleteSignatureException",
                    "Credential must have exactly 5 slash-delimited elements");
  }
  std::string secret_key = credentials.secret_key;
  if (scope[0] != credentials.access_key) {
    // A temporary key from AssumeRole (sts.hpp) is valid only with its own session token. ECR
    // accepts the keys of its own account; STS, global on AWS, those of any account.
    Credentials issuer = credentials;
    if (service == "sts" && scope[0].size() == 20) issuer.account_id = scope[0].substr(4, 12);
    const auto temporary = temporary_secret(issuer, scope[0]);
    const auto token = request.header("x-amz-security-token");
    if (!temporary || !token || !session_identity(issuer, scope[0], *token)) {
      return ApiError(400, "UnrecognizedClientException",
                      "The security token included in the request is invalid.");
    }
    secret_key = *temporary;
  }
  auto amz_date = request.header("x-amz-date");
  if (!amz_date)
    return invalid_signature(
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header");
  auto signed_at = parse_amz_date(*amz_date);
  if (!signed_at) return invalid_signature("Invalid X-Amz-Date '" + *amz_date + "'");
  constexpr Millis k_skew = 15LL * 60 * 1000;
  if (*signed_at < now - k_skew) {
    return invalid_signature("Signature expired: " + *amz_date + " is now earlier than " +
                             format_amz_date(now - k_skew) + " (" + format_amz_date(now) +
                             " - 15 min.)");
  }
  if (*signed_at > now + k_skew) {
    return invalid_signature("Signature not yet current: " + *amz_date + " is still later than " +
                             format_amz_date(now + k_skew) + " (" + format_amz_date(now) +
                             " + 15 min.)");
  }
  if (scope[1] != amz_date->substr(0, 8)) {
    return invalid_signature(
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
        "'" +
        scope[1] + "' != '" + amz_date->substr(0, 8) + "', from '" + *amz_date + "'.");
  }
  if (scope[2] != credentials.region) {
    return invalid_signature("Credential should be scoped to a valid region, not '" + scope[2] +
                             "'. ");
  }
  if (scope[3] != service)
    return invalid_signature("Credential should be scoped to correct service: '" + service + "'. ");

  auto names = split(*signed_headers, ';');
  if (std::find(names.begin(), names.end(), "host") == names.end()) {
    return invalid_signature(
        "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  if (request.header("x-amz-security-token") &&
      std::find(names.begin(), names.end(), "x-amz-security-token") == names.end()) {
    return invalid_signature(
        "'X-Amz-Security-Token' must be a 'SignedHeader' in the AWS Authorization.");
  }
  std::string canonical =
      request.method + "\n" + (request.path.empty() ? "/" : request.path) + "\n\n";
  for (const auto& name : names) {
    std::string values;
    for (const auto& [header_name, value] : request.headers) {
      if (header_name != name) continue;
      if (!values.empty()) values += ',';
      values += trim_collapse(value);
    }
    canonical += name + ":" + values + "\n";
  }
  canonical += "\n" + *signed_headers + "\n" +
               sha256_hex(request.body != nullptr ? *request.body : std::string());
  std::string string_to_sign = "AWS4-HMAC-SHA256\n" + *amz_date + "\n" + scope[1] + "/" + scope[2] +
                               "/" + scope[3] + "/aws4_request\n" + sha256_hex(canonical);
  std::string key = hmac_sha256("AWS4" + secret_key, scope[1]);
  key = hmac_sha256(key, scope[2]);
  key = hmac_sha256(key, scope[3]);
  key = hmac_sha256(key, "aws4_request");
  if (!constant_time_equal(hex(hmac_sha256(key, string_to_sign)), *signature)) {
    return invalid_signature(
        "The request signature we calculated does not match the signature you provided. Check your "
        "AWS Secret "
        "Access Key and signing method. Consult the service documentation for details.");
  }
  return std::nullopt;
}

}  // namespace ecr_emulator
