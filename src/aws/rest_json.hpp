// AWS REST-JSON GETs (Lambda's protocol: the operation is the method and path, answers are JSON,
// errors carry x-amzn-ErrorType or a JSON "Type"/"__type"/"message"), SigV4-signed afresh on each
// attempt. Retried by the one retry policy of the AWS clients (aws/retry_policy.hpp): throttling
// (HTTP 429, TooManyRequestsException & co) and transient errors (5xx, transport) with full jitter
// up to max_attempts and a retry quota; paced by hooks.pacer when given, under the name "GET
// /<first two path segments>"; everything else is returned classified (aws/aws_error.hpp).
#pragma once

#include <memory>
#include <string>

#include "aws/credentials.hpp"
#include "aws/json_rpc.hpp"
#include "http/http_client.hpp"
#include "util/result.hpp"

namespace regsweep {

class AwsRestClient {
 public:
  virtual ~AwsRestClient() = default;
  // GET `path_and_query` ("/2015-03-31/functions/?MaxItems=50", already URI-encoded) relative to
  // the endpoint URL; the body of a 2xx answer. Thread-safe.
  virtual Result<std::string> get(const std::string& path_and_query) = 0;
};

// `endpoint.target_prefix` is unused; `endpoint.service` is the signing name ("lambda").
std::unique_ptr<AwsRestClient> make_aws_rest_client(
    AwsServiceEndpoint endpoint, std::shared_ptr<CredentialsProvider> credentials,
    std::shared_ptr<HttpClient> http, RetryOptions retry, RetryHooks hooks = {});

}  // namespace regsweep
