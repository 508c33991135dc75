#include "aws/aws_error.hpp"

#include <array>

namespace regsweep {

std::string sanitize_error_code(std::string_view type) {
  type = type.substr(0, type.find(':'));
  if (const auto hash = type.rfind('#'); hash != std::string_view::npos)
    type = type.substr(hash + 1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  return std::string(type);
}

bool is_throttling_code(std::string_view code) {
  static constexpr std::array<std::string_view, 14> k_codes = {
      "Throttling",
      "ThrottlingException",
      "ThrottledException",
      "RequestThrottledException",
      "TooManyRequestsException",
      "ProvisionedThroughputExceededException",
      "TransactionInProgressException",
      "RequestLimitExceeded",
      "BandwidthLimitExceeded",
      "LimitExceededException",
      "RequestThrottled",
      "SlowDown",
      "PriorRequestNotComplete",
      "EC2ThrottledException"};
  for (auto c : k_codes)
    if (c == code) return true;
  return false;
}

namespace {

bool is_transient_code(std::string_view code) {
  return code == "RequestTimeout" || code == "RequestTimeoutException" ||
         code == "PriorRequestNotComplete" || code == "ServerException" ||
         code == "InternalFailure" || code == "ServiceUnavailable" || code == "InternalError";
}

bool is_unauthorized_code(std::string_view code) {
  static constexpr std::array<std::string_view, 11> k_codes = {
      "UnrecognizedClientException",
      "InvalidSignatureException",
      "SignatureDoesNotMatch",
      "MissingAuthenticationTokenException",
      "IncompleteSignatureException",
      "ExpiredTokenException",
      "ExpiredToken",
      "InvalidClientTokenId",
      "AuthFailure",
      "InvalidIdentityToken",
      "IDPRejectedClaim"};
  for (auto c : k_codes)
    if (c == code) return true;
  return false;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.ends_with(suffix);
}

}  // namespace

Error classify_aws_error(long status, const std::string& code, std::string_view message,
                         std::string_view what, std::string_view request_id) {
  ErrorCode kind = ErrorCode::internal;
  if (is_throttling_code(code) || status == 429) {
    kind = ErrorCode::throttled;
  } else if (is_transient_code(code) || status >= 500) {
    kind = ErrorCode::transient;
  } else if (is_unauthorized_code(code) || status == 401) {
    kind = ErrorCode::unauthorized;
  } else if (code == "AccessDeniedException" || code == "AccessDenied" || status == 403) {
    kind = ErrorCode::forbidden;
  } else if (ends_with(code, "NotFoundException") || ends_with(code, "NotFound")) {
    kind = ErrorCode::not_found;
  } else if (ends_with(code, "AlreadyExistsException") || ends_with(code, "AlreadyExists") ||
             code == "RepositoryNotEmptyException" || ends_with(code, "InProgressException")) {
    kind = ErrorCode::conflict;
  } else if (status >= 400 && status < 500) {
    kind = ErrorCode::invalid_input;
  }
  std::string text(what);
  text += ": ";
  text += code.empty() ? "HTTP " + std::to_string(status) : code;
  if (!message.empty()) {
    text += ": ";
    // Bound what a misbehaving server can put into our messages (an HTML error page, say).
    text += message.substr(0, 500);
  }
  text += " (HTTP " + std::to_string(status);
  if (!request_id.empty()) text += ", request id " + std::string(request_id);
  text += ")";
  if (kind == ErrorCode::unauthorized)
    text += "; fix: check the credentials (and the clock, for signature errors)";
  else if (kind == ErrorCode::forbidden)
    text += "; fix: grant the IAM permission named above";
  Error e = make_error(kind, std::move(text));
  e.service_code = code;
  return e;
}

}  // namespace regsweep
