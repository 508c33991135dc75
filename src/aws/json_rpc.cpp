#include "aws/json_rpc.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "aws/aws_error.hpp"
#include "aws/sigv4.hpp"
#include "http/url.hpp"

namespace regsweep {
namespace {

constexpr int k_retry_cost = 5;
constexpr int k_timeout_retry_cost = 10;
constexpr int k_success_refund = 1;

// The standard mode's token bucket: retries spend, successes refund, nothing refills otherwise.
class RetryQuota {
 public:
  explicit RetryQuota(int capacity) : m_capacity(capacity), m_tokens(capacity) {}
  bool acquire(int cost) {
    std::lock_guard lock(m_mutex);
    if (m_tokens < cost) return false;
    m_tokens -= cost;
    return true;
  }
  void release(int amount) {
    std::lock_guard lock(m_mutex);
    m_tokens = std::min(m_capacity, m_tokens + amount);
  }

 private:
  std::mutex m_mutex;
  int m_capacity;
  int m_tokens;
};

struct ParsedError {
  std::string code;
  std::string message;
};

ParsedError parse_error_body(const HttpResponse& response) {
  ParsedError out;
  const auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_object()) {
    if (auto it = body.find("__type"); it != body.end() && it->is_string())
      out.code = sanitize_error_code(it->get<std::string>());
    for (const char* key : {"message", "Message"}) {
      if (auto it = body.find(key); it != body.end() && it->is_string()) {
        out.message = it->get<std::string>();
        break;
      }
    }
  }
  if (out.code.empty()) out.code = sanitize_error_code(response.header("x-amzn-errortype"));
  return out;
}

std::string describe_headers(const HttpHeaders& headers) {
  std::string out;
  for (const auto& [name, value] : headers) {
    std::string lname = name;
    std::transform(lname.begin(), lname.end(), lname.begin(), ::tolower);
    const bool secret = lname == "authorization" || lname == "x-amz-security-token";
    out += " " + name + ": " + (secret ? std::string(Secret::redacted()) : value) + ";";
  }
  return out;
}

class JsonClient final : public AwsJsonClient {
 public:
  JsonClient(AwsServiceEndpoint endpoint, std::shared_ptr<CredentialsProvider> credentials,
             std::shared_ptr<HttpClient> http, RetryOptions retry, RetryHooks hooks)
      : m_endpoint(std::move(endpoint)),
        m_credentials(std::move(credentials)),
        m_http(std::move(http)),
        m_retry(retry),
        m_hooks(std::move(hooks)),
        m_quota(retry.quota_tokens) {
    if (!m_hooks.now)
      m_hooks.now = [] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
      };
    if (!m_hooks.random) {
      auto rng = std::make_shared<std::mt19937_64>(std::random_device{}());
      auto mutex = std::make_shared<std::mutex>();
      m_hooks.random = [rng, mutex] {
        std::lock_guard lock(*mutex);
        return std::uniform_real_distribution<double>(0.0, 1.0)(*rng);
      };
    }
    if (!m_hooks.sleep)
      m_hooks.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  }

  Result<std::string> call(std::string_view operation, const std::string& request_json) override {
    const std::string what = m_endpoint.service + " " + std::string(operation);
    int attempt = 0;
    int last_retry_cost = 0;
    int limit_exceeded_retries = 0;
    bool refreshed_credentials = false;
    while (true) {
      ++attempt;
      auto outcome = attempt_once(operation, request_json, what);
      if (outcome.ok()) {
        m_quota.release(last_retry_cost > 0 ? last_retry_cost : k_success_refund);
        return outcome;
      }
      Error error = std::move(outcome).take_error();
      // An expired token is fixed by new credentials, not by waiting: refresh and retry once.
      if ((error.service_code == "ExpiredTokenException" || error.service_code == "ExpiredToken") &&
          !refreshed_credentials) {
        refreshed_credentials = true;
        m_credentials->invalidate();
        log(what + ": credentials expired; refreshing and retrying");
        --attempt;
        continue;
      }
      if (!error.retryable()) return error;
      if (error.service_code == "LimitExceededException" && ++limit_exceeded_retries > 1)
        return error;  // in ECR a quota, not a rate: one more try is all it deserves
      if (attempt >= m_retry.max_attempts) {
        error.message += "; gave up after " + std::to_string(attempt) + " attempts";
        return error;
      }
      const int cost = error.service_code == "timeout" ? k_timeout_retry_cost : k_retry_cost;
      if (!m_quota.acquire(cost)) {
        error.message += "; not retried: the client's retry budget is exhausted";
        return error;
      }
      last_retry_cost = cost;
      const auto delay = backoff(attempt);
      log(what + ": attempt " + std::to_string(attempt) + " failed (" + error.message +
          "); retrying in " + std::to_string(delay.count()) + " ms");
      m_hooks.sleep(delay);
    }
  }

 private:
  // Full jitter: uniform in [0, min(base x 2^(retry-1), max_delay)).
  std::chrono::milliseconds backoff(int failed_attempts) const {
    const double cap = static_cast<double>(m_retry.max_delay.count());
    const double exp =
        static_cast<double>(m_retry.base_delay.count()) * std::pow(2.0, failed_attempts - 1);
    const double r = std::clamp(m_hooks.random(), 0.0, 1.0);
    return std::chrono::milliseconds(static_cast<long long>(r * std::min(cap, exp)));
  }

  Result<std::string> attempt_once(std::string_view operation, const std::string& request_json,
                                   const std::string& what) {
    auto creds = m_credentials->credentials();
    if (!creds) return creds.error();
    HttpRequest request;
    request.method = "POST";
    request.url = m_endpoint.url;
    request.body = request_json.empty() ? "{}" : request_json;
    request.headers = {{"Content-Type", "application/x-amz-json-1.1"},
                       {"X-Amz-Target", m_endpoint.target_prefix + "." + std::string(operation)}};
    auto signed_request =
        sign_request(request, *creds, {m_endpoint.region, m_endpoint.service}, m_hooks.now());
    if (!signed_request) return signed_request.error();
    if (m_hooks.log)
      log(what + ": POST " + redact_url(request.url) + describe_headers(request.headers) +
          " body " + std::to_string(request.body.size()) + " bytes");
    auto response = m_http->send(request);
    if (!response) {
      Error e = response.error();
      e.message = what + ": " + e.message;
      return e;
    }
    const std::string request_id = response->header("x-amzn-requestid");
    log(what + ": HTTP " + std::to_string(response->status) + " request id " + request_id);
    if (response->status >= 200 && response->status < 300) return std::move(response->body);
    const ParsedError parsed = parse_error_body(*response);
    return classify_aws_error(response->status, parsed.code, parsed.message, what, request_id);
  }

  void log(const std::string& line) const {
    if (m_hooks.log) m_hooks.log(line);
  }

  AwsServiceEndpoint m_endpoint;
  std::shared_ptr<CredentialsProvider> m_credentials;
  std::shared_ptr<HttpClient> m_http;
  RetryOptions m_retry;
  RetryHooks m_hooks;
  RetryQuota m_quota;
};

}  // namespace

std::unique_ptr<AwsJsonClient> make_aws_json_client(
    AwsServiceEndpoint endpoint, std::shared_ptr<CredentialsProvider> credentials,
    std::shared_ptr<HttpClient> http, RetryOptions retry, RetryHooks hooks) {
  return std::make_unique<JsonClient>(std::move(endpoint), std::move(credentials), std::move(http),
                                      retry, std::move(hooks));
}

std::unique_ptr<AwsJsonClient> make_aws_json_client(
    AwsServiceEndpoint endpoint, std::shared_ptr<CredentialsProvider> credentials,
    std::shared_ptr<HttpClient> http, RetryOptions retry) {
  return make_aws_json_client(std::move(endpoint), std::move(credentials), std::move(http), retry,
                              RetryHooks{});
}

}  // namespace regsweep
