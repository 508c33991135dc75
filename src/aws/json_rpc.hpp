// AWS JSON 1.1 calls (the ECR API's protocol): POST / with X-Amz-Target, SigV4-signed, retried by
// the one retry policy of the AWS clients (aws/retry_policy.hpp: standard mode, full jitter, a
// retry quota per client) and paced by the session's rate control when it has one
// (aws/rate_control.hpp: adaptive mode, --max-requests-per-second). Errors are classified from the
// response's __type and HTTP status: ThrottlingException -> throttled, 5xx -> transient,
// RepositoryNotFoundException & co -> not_found, AccessDenied -> forbidden, signature/token
// problems -> unauthorized, *AlreadyExists & RepositoryNotEmpty -> conflict, the rest of 4xx ->
// invalid_input (the full table is in aws/aws_error.hpp). ExpiredTokenException refreshes the
// credentials and retries once without spending an attempt or quota. Each attempt is signed afresh
// (new X-Amz-Date), after any wait for the rate control.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "aws/call_counter.hpp"
#include "aws/credentials.hpp"
#include "aws/rate_control.hpp"
#include "aws/retry_policy.hpp"
#include "http/http_client.hpp"
#include "util/clock.hpp"
#include "util/result.hpp"

namespace regsweep {

struct AwsServiceEndpoint {
  std::string service = "ecr";  // signing name
  std::string region;           // signing region
  std::string url;              // https://api.ecr.eu-west-1.amazonaws.com or --endpoint-url
  std::string target_prefix;    // "AmazonEC2ContainerRegistry_V20150921"
};

// What a client is given besides its configuration, so tests neither sleep nor depend on chance.
struct RetryHooks {
  // Time for signing, back-off sleeps and jitter (and the pacer's waits use their own clock).
  Clock& clock = system_clock();
  // Debug lines (one per attempt and outcome). Secrets are never passed here: the Authorization
  // and X-Amz-Security-Token values are replaced by <redacted>.
  RetryLog log;
  // Client-side rate control around every attempt; null: none (standard mode without a cap).
  std::shared_ptr<RequestPacer> pacer;
  // Every attempt counted per operation (reports' apiCalls); null: not counted.
  std::shared_ptr<CallCounter> counter;
};

class AwsJsonClient {
 public:
  virtual ~AwsJsonClient() = default;
  // Sends `request_json` to operation `operation` (e.g. "DescribeImages"); the response body on
  // success (2xx), else the classified error after retries, with Error::service_code set to the
  // AWS error name (__type without its namespace prefix). Thread-safe.
  virtual Result<std::string> call(std::string_view operation, const std::string& request_json) = 0;
};

std::unique_ptr<AwsJsonClient> make_aws_json_client(
    AwsServiceEndpoint endpoint, std::shared_ptr<CredentialsProvider> credentials,
    std::shared_ptr<HttpClient> http, RetryOptions retry, RetryHooks hooks = {});

}  // namespace regsweep
