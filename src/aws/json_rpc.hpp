// AWS JSON 1.1 calls (the ECR API's protocol): POST / with X-Amz-Target, SigV4-signed, retried in
// AWS "standard" mode with the deviations docs/research/ecr-api.md §6.3 recommends. Errors are
// classified from the response's __type and HTTP status: ThrottlingException -> throttled, 5xx ->
// transient, RepositoryNotFoundException & co -> not_found, AccessDenied -> forbidden,
// signature/token problems -> unauthorized, *AlreadyExists & RepositoryNotEmpty -> conflict, the
// rest of 4xx -> invalid_input (the full table is in aws/aws_error.hpp).
//
// Retries (standard mode, docs/research/ecr-api.md §6.2/§6.3): throttled and transient errors, HTTP
// 429 included, up to max_attempts in all; delay = random[0,1) x min(base x 2^(retry-1), max_delay)
// (full jitter); a retry quota per client (500 tokens, 5 per retry, 10 after a timeout, refunded
// on success) so a struggling endpoint is not hammered; LimitExceededException (a hard quota in
// ECR) is retried once only; ExpiredTokenException refreshes the credentials and retries once
// without spending quota. Each attempt is signed afresh (new X-Amz-Date).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "aws/credentials.hpp"
#include "http/http_client.hpp"
#include "util/result.hpp"

namespace regsweep {

struct AwsServiceEndpoint {
  std::string service = "ecr";  // signing name
  std::string region;           // signing region
  std::string url;              // https://api.ecr.eu-west-1.amazonaws.com or --endpoint-url
  std::string target_prefix;    // "AmazonEC2ContainerRegistry_V20150921"
};

struct RetryOptions {
  // docs/research/ecr-api.md §6.3: more than the SDK's 3 for batch work. AWS_MAX_ATTEMPTS or the
  // profile's max_attempts replace it (aws/session.hpp).
  int max_attempts = 8;
  std::chrono::milliseconds base_delay{100};
  std::chrono::milliseconds max_delay{20'000};
  int quota_tokens = 500;  // the retry budget shared by all calls of one client
};

// The clock, randomness, sleeping and debug log of a client, replaceable so tests neither sleep
// nor depend on chance. Defaults: system clock, a seeded PRNG, std::this_thread::sleep_for, no log.
struct RetryHooks {
  std::function<EpochMillis()> now;
  std::function<double()> random;  // uniform in [0, 1)
  std::function<void(std::chrono::milliseconds)> sleep;
  // Debug lines (one per attempt and outcome). Secrets are never passed here: the Authorization
  // and X-Amz-Security-Token values are replaced by <redacted>.
  std::function<void(std::string_view)> log;
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
    std::shared_ptr<HttpClient> http, RetryOptions retry);
std::unique_ptr<AwsJsonClient> make_aws_json_client(
    AwsServiceEndpoint endpoint, std::shared_ptr<CredentialsProvider> credentials,
    std::shared_ptr<HttpClient> http, RetryOptions retry, RetryHooks hooks);

}  // namespace regsweep
