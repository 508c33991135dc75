#include "aws/rest_json.hpp"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "aws/aws_error.hpp"
#include "aws/sigv4.hpp"

namespace regsweep {
namespace {

class RestClient final : public AwsRestClient {
 public:
  RestClient(AwsServiceEndpoint endpoint, std::shared_ptr<CredentialsProvider> credentials,
             std::shared_ptr<HttpClient> http, RetryOptions retry, RetryHooks hooks)
      : m_endpoint(std::move(endpoint)),
        m_credentials(std::move(credentials)),
        m_http(std::move(http)),
        m_retry(retry),
        m_hooks(std::move(hooks)) {
    while (!m_endpoint.url.empty() && m_endpoint.url.back() == '/') m_endpoint.url.pop_back();
  }

  Result<std::string> get(const std::string& path_and_query) override {
    const std::string what = m_endpoint.service + " GET " + path_and_query.substr(0, 120);
    Error last = make_error(ErrorCode::internal, what + ": not attempted");
    for (int attempt = 1; attempt <= std::max(1, m_retry.max_attempts); ++attempt) {
      if (attempt > 1) pause(attempt - 1);
      auto credentials = m_credentials->credentials();
      if (!credentials) return credentials.error();
      HttpRequest request;
      request.method = "GET";
      request.url = m_endpoint.url + path_and_query;
      request.headers.push_back({"Accept", "application/json"});
      auto signed_request =
          sign_request(request, *credentials, {m_endpoint.region, m_endpoint.service}, now());
      if (!signed_request) return signed_request.error();
      auto response = m_http->send(request);
      if (!response) {
        last = response.error();
        last.message = what + ": " + last.message;
        if (last.code == ErrorCode::transient) continue;
        return last;
      }
      if (response->status >= 200 && response->status < 300) return std::move(response->body);
      std::string code = sanitize_error_code(response->header("x-amzn-errortype"));
      std::string message;
      const auto body = nlohmann::json::parse(response->body, nullptr, false);
      if (body.is_object()) {
        for (const char* key : {"__type", "Type", "code"}) {
          if (code.empty() && body.contains(key) && body[key].is_string())
            code = sanitize_error_code(body[key].get<std::string>());
        }
        for (const char* key : {"message", "Message"}) {
          if (message.empty() && body.contains(key) && body[key].is_string())
            message = body[key].get<std::string>();
        }
      }
      if (response->status == 429 && code.empty()) code = "TooManyRequestsException";
      last = classify_aws_error(response->status, code, message, what,
                                response->header("x-amzn-requestid"));
      if (last.code != ErrorCode::throttled && last.code != ErrorCode::transient) return last;
    }
    return last;
  }

 private:
  EpochMillis now() const {
    if (m_hooks.now) return m_hooks.now();
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  // Full jitter: random[0,1) x min(base x 2^(retry-1), max).
  void pause(int retry) {
    double random;
    if (m_hooks.random) {
      random = m_hooks.random();
    } else {
      std::lock_guard lock(m_mutex);
      random = std::uniform_real_distribution<double>(0.0, 1.0)(m_rng);
    }
    const auto cap = std::min<long long>(m_retry.max_delay.count(), m_retry.base_delay.count()
                                                                        << std::min(retry - 1, 20));
    const std::chrono::milliseconds delay(
        static_cast<long long>(random * static_cast<double>(cap)));
    if (m_hooks.sleep) {
      m_hooks.sleep(delay);
    } else {
      std::this_thread::sleep_for(delay);
    }
  }

  AwsServiceEndpoint m_endpoint;
  std::shared_ptr<CredentialsProvider> m_credentials;
  std::shared_ptr<HttpClient> m_http;
  RetryOptions m_retry;
  RetryHooks m_hooks;
  std::mutex m_mutex;
  std::mt19937_64 m_rng{std::random_device{}()};
};

}  // namespace

std::unique_ptr<AwsRestClient> make_aws_rest_client(
    AwsServiceEndpoint endpoint, std::shared_ptr<CredentialsProvider> credentials,
    std::shared_ptr<HttpClient> http, RetryOptions retry, RetryHooks hooks) {
  return std::make_unique<RestClient>(std::move(endpoint), std::move(credentials), std::move(http),
                                      retry, std::move(hooks));
}

}  // namespace regsweep
