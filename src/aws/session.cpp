#include "aws/session.hpp"

#include <algorithm>
#include <charconv>

#include "aws/aws_config.hpp"
#include "aws/endpoint.hpp"
#include "http/url.hpp"

namespace regsweep {
namespace {

// One attempt's overall cap. The read timeout is what catches a silent server; this only stops
// one that trickles bytes forever, so it is generous (a 1,000-image DescribeImages page arrives in
// well under a second) and never shorter than the connect and read timeouts it must not cut.
constexpr std::chrono::milliseconds k_exchange_cap{5 * 60'000};
constexpr int k_max_attempts_limit = 100;

// A whole number from 1 to k_max_attempts_limit, or an error naming where it came from.
Result<int> parse_max_attempts(const std::string& text, const std::string& where) {
  int value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc() && ptr == text.data() + text.size() && value >= 1 &&
      value <= k_max_attempts_limit)
    return value;
  const std::string shown = has_control_character(text) || text.size() > 40
                                ? std::string("the value")
                                : "\"" + text + "\"";
  return make_error(ErrorCode::invalid_input,
                    "aws: " + where + ": " + shown + " is not a whole number from 1 to " +
                        std::to_string(k_max_attempts_limit) +
                        " (the attempts per call, the first included); fix: e.g. 3, or unset it "
                        "for the default of " +
                        std::to_string(RetryOptions{}.max_attempts));
}

// AWS_MAX_ATTEMPTS, else the profile's max_attempts (botocore's order), else the default.
Result<int> resolve_max_attempts(const AwsEnvironment& env, const AwsProfile& profile,
                                 const std::string& config_path) {
  if (auto v = env_value(env, "AWS_MAX_ATTEMPTS"); !v.empty())
    return parse_max_attempts(v, "AWS_MAX_ATTEMPTS");
  if (auto v = profile.config_value("max_attempts"); !v.empty())
    return parse_max_attempts(
        v, "profile '" + profile.name + "' in " + config_path + ": max_attempts");
  return RetryOptions{}.max_attempts;
}

Result<RetryMode> parse_retry_mode(const std::string& text, const std::string& where) {
  if (text == "adaptive") return RetryMode::adaptive;
  if (text == "standard" || text == "legacy") return RetryMode::standard;
  const std::string shown = has_control_character(text) || text.size() > 40
                                ? std::string("the value")
                                : "\"" + text + "\"";
  return make_error(ErrorCode::invalid_input,
                    "aws: " + where + ": " + shown +
                        " is not a retry mode; fix: standard (retries only) or adaptive (retries "
                        "and client-side rate control), or unset it for the default (adaptive)");
}

// AWS_RETRY_MODE, else the profile's retry_mode (botocore's order), else adaptive.
Result<RetryMode> resolve_retry_mode(const AwsEnvironment& env, const AwsProfile& profile,
                                     const std::string& config_path) {
  if (auto v = env_value(env, "AWS_RETRY_MODE"); !v.empty())
    return parse_retry_mode(v, "AWS_RETRY_MODE");
  if (auto v = profile.config_value("retry_mode"); !v.empty())
    return parse_retry_mode(v, "profile '" + profile.name + "' in " + config_path + ": retry_mode");
  return RetryMode::adaptive;
}

RetryHooks session_hooks(const AwsSession& session, const AwsServiceEndpoint& endpoint,
                         RetryLog log) {
  return RetryHooks{*session.clock, std::move(log), session_pacer(session, endpoint),
                    session.calls};
}

}  // namespace

Result<AwsSession> open_aws_session(const AwsSessionOptions& options) {
  const AwsEnvironment env = options.env ? *options.env : AwsEnvironment::from_process();
  const AwsConfigFiles files = load_aws_config_files(env);
  AwsSession session;
  session.profile = selected_profile_name(options.profile, env);
  const AwsProfile profile = find_profile(files, session.profile);
  if (!profile.exists && session.profile != "default")
    return make_error(ErrorCode::invalid_input, "aws: profile '" + session.profile +
                                                    "' is in neither " + files.credentials_path +
                                                    " nor " + files.config_path +
                                                    "; fix: check --profile / AWS_PROFILE");
  auto region = resolve_region(options.region, env, profile);
  if (!region) return region.error();
  session.region = *region;
  auto url = resolve_endpoint_url(ecr_endpoint_names(), options.endpoint_url, session.region, env,
                                  profile);
  if (!url) return url.error();
  auto parsed = parse_url(*url);
  if (!parsed) return parsed.error();
  if (parsed->scheme == "http" && !options.allow_plain_http && !is_loopback_host(parsed->host))
    return make_error(ErrorCode::invalid_input,
                      "aws: endpoint " + redact_url(*url) +
                          ": plain http is allowed only for loopback hosts; fix: use https, or "
                          "allow plain http explicitly");
  session.ecr = {"ecr", session.region, *url, "AmazonEC2ContainerRegistry_V20150921"};
  auto attempts = resolve_max_attempts(env, profile, files.config_path);
  if (!attempts) return attempts.error();
  session.retry.max_attempts = *attempts;
  auto mode = resolve_retry_mode(env, profile, files.config_path);
  if (!mode) return mode.error();
  session.retry_mode = *mode;
  if (!(options.max_requests_per_second >= 0))  // the flag's parser refuses NaN; so do we
    return make_error(ErrorCode::invalid_input,
                      "aws: max_requests_per_second: not a number; fix: a number > 0");
  session.max_requests_per_second = options.max_requests_per_second;
  session.rate_scope = options.role_arn.empty() ? "profile " + session.profile : options.role_arn;
  session.clock = env.clock != nullptr ? env.clock : &system_clock();
  session.rate_controllers = options.rate_controllers;
  if (!session.rate_controllers)
    session.rate_controllers = session.clock == &system_clock()
                                   ? process_rate_controllers()
                                   : std::make_shared<RateControllers>(*session.clock);

  session.http = options.http;
  if (!session.http) {
    HttpOptions http;
    http.connect_timeout = options.connect_timeout;
    http.read_timeout = options.read_timeout;
    http.request_timeout = std::max(k_exchange_cap, options.connect_timeout + options.read_timeout);
    http.allow_plain_http = options.allow_plain_http;
    http.ca_bundle_hint = "set AWS_CA_BUNDLE (or the profile's ca_bundle) to that CA's PEM bundle";
    http.ca_bundle = options.ca_bundle;
    if (http.ca_bundle.empty()) http.ca_bundle = env_value(env, "AWS_CA_BUNDLE");
    if (http.ca_bundle.empty()) http.ca_bundle = profile.config_value("ca_bundle");
    session.http = make_curl_client(http);
  }

  CredentialOptions credential_options;
  credential_options.profile = options.profile;
  credential_options.role_arn = options.role_arn;
  credential_options.external_id = options.external_id;
  credential_options.region = session.region;
  auto credentials = make_default_credentials_chain(credential_options, env, session.http);
  if (!credentials) return credentials.error();
  session.credentials = *credentials;
  if (auto current = session.credentials->credentials(); current)
    session.credentials_source = current->source;
  auto sts = resolve_sts(env, profile, session.region, session.http);
  session.caller_identity = [sts, provider = session.credentials]() -> Result<CallerIdentity> {
    if (!sts) return sts.error();
    auto credentials = provider->credentials();
    if (!credentials) return std::move(credentials).take_error();
    return sts_get_caller_identity(*sts, *credentials);
  };
  return session;
}

Result<std::string> resolve_session_region(const AwsSessionOptions& options) {
  const AwsEnvironment env = options.env ? *options.env : AwsEnvironment::from_process();
  const AwsConfigFiles files = load_aws_config_files(env);
  return resolve_region(options.region, env,
                        find_profile(files, selected_profile_name(options.profile, env)));
}

std::shared_ptr<RequestPacer> session_pacer(const AwsSession& session,
                                            const AwsServiceEndpoint& endpoint) {
  const bool adaptive = session.retry_mode == RetryMode::adaptive;
  if (!adaptive && session.max_requests_per_second <= 0) return nullptr;
  // The account and region whose quotas the calls spend, as far as it is known without asking STS.
  const std::string key = endpoint.url + " " + endpoint.region + " " + session.rate_scope;
  return make_pacer(session.rate_controllers->controller(key, session.max_requests_per_second),
                    adaptive);
}

std::unique_ptr<AwsJsonClient> make_ecr_json_client(const AwsSession& session, RetryLog log) {
  return make_session_json_client(session, session.ecr, std::move(log));
}

std::unique_ptr<AwsJsonClient> make_session_json_client(const AwsSession& session,
                                                        AwsServiceEndpoint endpoint, RetryLog log) {
  auto hooks = session_hooks(session, endpoint, std::move(log));
  return make_aws_json_client(std::move(endpoint), session.credentials, session.http, session.retry,
                              std::move(hooks));
}

std::unique_ptr<AwsRestClient> make_session_rest_client(const AwsSession& session,
                                                        AwsServiceEndpoint endpoint, RetryLog log) {
  auto hooks = session_hooks(session, endpoint, std::move(log));
  return make_aws_rest_client(std::move(endpoint), session.credentials, session.http, session.retry,
                              std::move(hooks));
}

}  // namespace regsweep
