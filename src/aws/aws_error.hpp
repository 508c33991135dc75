// Turning an AWS error answer into a regsweep Error: the service's error name (JSON __type or
// x-amzn-ErrorType, query-protocol <Code>) and HTTP status decide the code; the name goes to
// Error::service_code so callers can tell e.g. RepositoryNotFoundException from
// ImageNotFoundException. Classification (docs/research/ecr-api.md §1.3, §6.2, §6.3):
//   throttled    ThrottlingException & the SDK's throttling names, LimitExceededException, HTTP 429
//   transient    RequestTimeout(Exception), PriorRequestNotComplete, HTTP 5xx
//   unauthorized expired/invalid token or signature, unknown key, HTTP 401
//   forbidden    AccessDenied(Exception), HTTP 403
//   not_found    *NotFoundException, *NotFound
//   conflict     *AlreadyExists(Exception), RepositoryNotEmptyException, *InProgressException
//   invalid_input the rest of 4xx;  internal  anything else
#pragma once

#include <string>
#include <string_view>

#include "util/result.hpp"

namespace regsweep {

// "com.amazonaws.ecr#RepositoryNotFoundException:http://..." -> "RepositoryNotFoundException".
std::string sanitize_error_code(std::string_view type);

bool is_throttling_code(std::string_view code);

// `what` prefixes the message ("ecr DescribeImages"); `message` is the service's text.
Error classify_aws_error(long status, const std::string& code, std::string_view message,
                         std::string_view what, std::string_view request_id);

}  // namespace regsweep
