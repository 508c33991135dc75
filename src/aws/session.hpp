// One call that turns the CLI's AWS flags into everything needed to talk to ECR:
//
//   AwsSessionOptions options;                 // flags; empty means "not given"
//   options.region = flags.region;             // --region
//   options.profile = flags.profile;           // --profile
//   options.endpoint_url = flags.endpoint_url; // --endpoint-url
//   options.role_arn = flags.role_arn;         // --role-arn
//   auto session = open_aws_session(options);  // env from the process unless options.env is set
//   if (!session) return session.error();      // invalid_input -> exit 2, unauthorized -> exit 1
//   auto ecr = make_ecr_json_client(*session); // AwsJsonClient for "DescribeImages" & co
//
// Resolution (docs/research/ecr-api.md §7, §8): profile --profile > AWS_PROFILE >
// AWS_DEFAULT_PROFILE > "default"; region --region > AWS_REGION > AWS_DEFAULT_REGION > profile
// (none: invalid_input); endpoint --endpoint-url > AWS_ENDPOINT_URL_ECR > AWS_ENDPOINT_URL >
// profile services/endpoint_url > https://api.ecr.<region>.amazonaws.com (China, FIPS variants); CA
// bundle --ca-bundle > AWS_CA_BUNDLE > profile ca_bundle; attempts per call AWS_MAX_ATTEMPTS >
// profile max_attempts > RetryOptions' default; retry mode AWS_RETRY_MODE > profile retry_mode >
// adaptive; credentials from the default chain, resolved here, once (so a missing credential fails
// before any work starts) and refreshed later as they near expiry.
//
// Rate control (aws/rate_control.hpp): every client made from a session (make_ecr_json_client,
// make_session_json_client, make_session_rest_client) is paced by the controller of its key —
// endpoint URL, region, and the role ARN or else the profile — which all sessions of the process
// with the same key share, so parallel workers, and the several sessions that `run` opens for
// one account and region, spend one budget. Adaptive mode: no limit until the service throttles,
// then a rate per operation that follows the throttles. Standard mode: no client-side limit.
// max_requests_per_second caps the key's calls (all operations together) in both modes.
//
// Time bounds: each attempt of a call connects within connect_timeout and then fails when nothing
// arrives for read_timeout, so a server that accepts and never answers costs about read_timeout x
// max_attempts (plus at most ~13 s of back-off at 8 attempts) per call. A server that keeps
// trickling bytes is stopped by a generous per-attempt cap (k_exchange_cap in session.cpp).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "aws/credentials.hpp"
#include "aws/json_rpc.hpp"
#include "aws/rate_control.hpp"
#include "aws/rest_json.hpp"
#include "aws/retry_policy.hpp"
#include "aws/sts.hpp"
#include "http/http_client.hpp"
#include "util/clock.hpp"
#include "util/result.hpp"

namespace regsweep {

struct AwsSessionOptions {
  std::string region;
  std::string profile;
  std::string endpoint_url;
  std::string role_arn;
  std::string external_id;  // with role_arn: AssumeRole's ExternalId
  std::string ca_bundle;
  bool allow_plain_http = false;  // http:// to a non-loopback endpoint (otherwise refused)
  // --cli-connect-timeout (TCP connect plus TLS handshake, per attempt; 0: no limit of its own).
  // 3.1 s is the SDKs' "standard" defaults-mode value: AWS endpoints accept in milliseconds, so a
  // connect that takes seconds is a network fault that a retry (a new address) may avoid.
  std::chrono::milliseconds connect_timeout{3100};
  // --cli-read-timeout (nothing received for this long, per attempt; 0: none). The AWS CLI waits
  // 60 s; ECR, ECS, Lambda and STS answer in well under a second and the timeout only counts
  // silence (a long answer that keeps arriving is never cut), so 20 s is generous for a real
  // answer while a silent endpoint costs 20 s x 8 attempts instead of 60 s x 8.
  std::chrono::milliseconds read_timeout{20'000};
  // --max-requests-per-second: at most this many calls a second to the registry (the key above),
  // in either retry mode; 0: no cap.
  double max_requests_per_second = 0;
  std::optional<AwsEnvironment> env;  // default: AwsEnvironment::from_process(); its clock is used
  std::shared_ptr<HttpClient> http;   // default: a curl client built from the options above
  // Default: the process's (process_rate_controllers()), or a private set on env's clock when
  // that is not the system clock (tests).
  std::shared_ptr<RateControllers> rate_controllers;
};

// "standard": retries with back-off only. "adaptive" (the default): standard plus client-side rate
// control. AWS_RETRY_MODE / retry_mode "legacy" (another SDK mode) is taken as standard.
enum class RetryMode { standard, adaptive };

struct AwsSession {
  std::string profile;  // the profile name used ("default" when none was named)
  std::string region;
  AwsServiceEndpoint ecr;  // service "ecr", region, url, target prefix
  std::shared_ptr<CredentialsProvider> credentials;
  std::shared_ptr<HttpClient> http;
  std::string credentials_source;  // e.g. "environment", "assumed role arn:...": for --debug
  // STS GetCallerIdentity with the session's credentials, at the region's STS endpoint
  // (AWS_ENDPOINT_URL_STS and the like; aws/sts.hpp). Asked only when needed.
  std::function<Result<CallerIdentity>()> caller_identity;
  RetryOptions retry;  // max_attempts from AWS_MAX_ATTEMPTS or the profile
  RetryMode retry_mode = RetryMode::adaptive;
  double max_requests_per_second = 0;  // 0: no cap
  std::string rate_scope;              // the role ARN, else "profile NAME": part of the rate key
  Clock* clock = &system_clock();      // never null
  std::shared_ptr<RateControllers> rate_controllers;
  // Requests sent by this session's clients, per operation (reports' apiCalls).
  std::shared_ptr<CallCounter> calls = std::make_shared<CallCounter>();
};

Result<AwsSession> open_aws_session(const AwsSessionOptions& options);

// The region open_aws_session would use, found without resolving credentials (nothing is
// contacted): for deciding which registries to open at all.
Result<std::string> resolve_session_region(const AwsSessionOptions& options);

// The ECR JSON client of a session: retrying per session.retry (a retry budget per returned
// client), paced by the session's rate control, debug lines to `log` when given.
std::unique_ptr<AwsJsonClient> make_ecr_json_client(const AwsSession& session, RetryLog log = {});
// The same for another JSON 1.1 service of the session's account (ECS: its own endpoint and
// target prefix) and for a REST-JSON one (Lambda).
std::unique_ptr<AwsJsonClient> make_session_json_client(const AwsSession& session,
                                                        AwsServiceEndpoint endpoint,
                                                        RetryLog log = {});
std::unique_ptr<AwsRestClient> make_session_rest_client(const AwsSession& session,
                                                        AwsServiceEndpoint endpoint,
                                                        RetryLog log = {});

// The pacer of the session's clients for `endpoint`: null in standard mode without a cap.
// Exposed for tests.
std::shared_ptr<RequestPacer> session_pacer(const AwsSession& session,
                                            const AwsServiceEndpoint& endpoint);

}  // namespace regsweep
