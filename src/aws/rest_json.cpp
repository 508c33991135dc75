#include "aws/rest_json.hpp"

#include <nlohmann/json.hpp>

#include "aws/aws_error.hpp"
#include "aws/sigv4.hpp"

namespace regsweep {
namespace {

// The pacer's operation name: the method and the path's first two segments, e.g.
// "GET /2015-03-31/functions" for ListFunctions, ListVersionsByFunction, ListAliases and
// GetFunction alike: Lambda throttles its control plane per account, not per function or API.
std::string operation_of(const std::string& path_and_query) {
  std::string path = path_and_query.substr(0, path_and_query.find('?'));
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  const auto first = path.find('/', 1);
  const auto second = first == std::string::npos ? first : path.find('/', first + 1);
  return "GET " + path.substr(0, second);
}

class RestClient final : public AwsRestClient {
 public:
  RestClient(AwsServiceEndpoint endpoint, std::shared_ptr<CredentialsProvider> credentials,
             std::shared_ptr<HttpClient> http, RetryOptions retry, RetryHooks hooks)
      : m_endpoint(std::move(endpoint)),
        m_credentials(std::move(credentials)),
        m_http(std::move(http)),
        m_hooks(std::move(hooks)),
        m_retry(retry, m_hooks.clock) {
    while (!m_endpoint.url.empty() && m_endpoint.url.back() == '/') m_endpoint.url.pop_back();
  }

  Result<std::string> get(const std::string& path_and_query) override {
    const std::string what = m_endpoint.service + " GET " + path_and_query.substr(0, 120);
    const std::string operation = operation_of(path_and_query);
    auto attempts = m_retry.start();
    while (true) {
      auto credentials = m_credentials->credentials();
      if (!credentials) return credentials.error();
      HttpRequest request;
      request.method = "GET";
      request.url = m_endpoint.url + path_and_query;
      request.headers.push_back({"Accept", "application/json"});
      request.operation = operation;
      request.attempt = attempts.failed_attempts() + 1;
      const SendTime sent = m_hooks.pacer ? m_hooks.pacer->before_attempt(operation) : SendTime{};
      auto signed_request = sign_request(
          request, *credentials, {m_endpoint.region, m_endpoint.service}, m_hooks.clock.now());
      if (!signed_request) return signed_request.error();
      if (m_hooks.counter) m_hooks.counter->add(operation);
      auto result = exchange(request, what);
      if (m_hooks.pacer)
        m_hooks.pacer->after_attempt(operation, sent,
                                     !result.ok() && is_rate_throttle(result.error()));
      if (result.ok()) {
        attempts.succeeded();
        return result;
      }
      Error error = std::move(result).take_error();
      if (!attempts.retry_after(error, what, m_hooks.log)) return error;
    }
  }

 private:
  Result<std::string> exchange(const HttpRequest& request, const std::string& what) {
    auto response = m_http->send(request);
    if (!response) {
      Error error = response.error();
      error.message = what + ": " + error.message;
      return error;
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
    return classify_aws_error(response->status, code, message, what,
                              response->header("x-amzn-requestid"));
  }

  AwsServiceEndpoint m_endpoint;
  std::shared_ptr<CredentialsProvider> m_credentials;
  std::shared_ptr<HttpClient> m_http;
  RetryHooks m_hooks;
  RetryPolicy m_retry;
};

}  // namespace

std::unique_ptr<AwsRestClient> make_aws_rest_client(
    AwsServiceEndpoint endpoint, std::shared_ptr<CredentialsProvider> credentials,
    std::shared_ptr<HttpClient> http, RetryOptions retry, RetryHooks hooks) {
  return std::make_unique<RestClient>(std::move(endpoint), std::move(credentials), std::move(http),
                                      retry, std::move(hooks));
}

}  // namespace regsweep
