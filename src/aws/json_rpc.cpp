#include "aws/json_rpc.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "aws/aws_error.hpp"
#include "aws/sigv4.hpp"
#include "http/url.hpp"
#include "util/ascii.hpp"

namespace regsweep {
namespace {

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
    const std::string lname = ascii_lower(name);
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
        m_hooks(std::move(hooks)),
        m_retry(retry, m_hooks.clock) {}

  Result<std::string> call(std::string_view operation, const std::string& request_json) override {
    const std::string what = m_endpoint.service + " " + std::string(operation);
    auto attempts = m_retry.start();
    bool refreshed_credentials = false;
    while (true) {
      auto outcome = attempt_once(operation, request_json, what, attempts.failed_attempts() + 1);
      if (outcome.ok()) {
        attempts.succeeded();
        return outcome;
      }
      Error error = std::move(outcome).take_error();
      // An expired token is fixed by new credentials, not by waiting: refresh and retry once.
      if ((error.service_code == "ExpiredTokenException" || error.service_code == "ExpiredToken") &&
          !refreshed_credentials) {
        refreshed_credentials = true;
        m_credentials->invalidate();
        log(what + ": credentials expired; refreshing and retrying");
        continue;
      }
      if (!attempts.retry_after(error, what, m_hooks.log)) return error;
    }
  }

 private:
  Result<std::string> attempt_once(std::string_view operation, const std::string& request_json,
                                   const std::string& what, int attempt) {
    auto creds = m_credentials->credentials();
    if (!creds) return creds.error();
    HttpRequest request;
    request.method = "POST";
    request.url = m_endpoint.url;
    request.body = request_json.empty() ? "{}" : request_json;
    request.headers = {{"Content-Type", "application/x-amz-json-1.1"},
                       {"X-Amz-Target", m_endpoint.target_prefix + "." + std::string(operation)}};
    request.operation = std::string(operation);
    request.attempt = attempt;
    // Paced before signing, so a long wait never sends a stale signature.
    const SendTime sent = m_hooks.pacer ? m_hooks.pacer->before_attempt(operation) : SendTime{};
    auto signed_request =
        sign_request(request, *creds, {m_endpoint.region, m_endpoint.service}, m_hooks.clock.now());
    if (!signed_request) return signed_request.error();
    if (m_hooks.log)
      log(what + ": POST " + redact_url(request.url) + describe_headers(request.headers) +
          " body " + std::to_string(request.body.size()) + " bytes");
    if (m_hooks.counter) m_hooks.counter->add(operation);
    auto result = exchange(request, what);
    if (m_hooks.pacer)
      m_hooks.pacer->after_attempt(operation, sent,
                                   !result.ok() && is_rate_throttle(result.error()));
    return result;
  }

  Result<std::string> exchange(const HttpRequest& request, const std::string& what) {
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
  RetryHooks m_hooks;
  RetryPolicy m_retry;
};

}  // namespace

std::unique_ptr<AwsJsonClient> make_aws_json_client(
    AwsServiceEndpoint endpoint, std::shared_ptr<CredentialsProvider> credentials,
    std::shared_ptr<HttpClient> http, RetryOptions retry, RetryHooks hooks) {
  return std::make_unique<JsonClient>(std::move(endpoint), std::move(credentials), std::move(http),
                                      retry, std::move(hooks));
}

}  // namespace regsweep
