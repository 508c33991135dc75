// The HTTP door. Everything regsweep sends over the network goes through an HttpClient; the one
// curl implementation lives in curl_client.cpp, and tests use fakes and fault-injecting wrappers of
// this interface. A transport failure (refused, reset, timeout, TLS) is an Error with code
// transient (invalid_input for a malformed URL, a refused plain-http URL or a missing CA bundle;
// internal for an answer over max_response_bytes); a timeout also carries Error::service_code
// "timeout" (retry budgets charge it more). Any HTTP status, 4xx and 5xx included, is a response.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/result.hpp"

namespace regsweep {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  HttpHeaders headers;
  std::string body;
  // Overrides HttpOptions::request_timeout (and caps the connect timeout) when non-zero: metadata
  // services get a short one so a laptop without them does not hang.
  std::chrono::milliseconds timeout{0};
};

struct HttpResponse {
  long status = 0;
  HttpHeaders headers;  // names lower-cased
  std::string body;

  // The first header with this (lower-case) name, or empty.
  std::string header(std::string_view lower_name) const;
};

struct HttpOptions {
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds request_timeout{60'000};
  std::size_t max_response_bytes = 256u << 20;  // larger answers fail instead of exhausting memory
  std::string ca_bundle;                        // empty: the system store
  bool allow_plain_http = false;  // http:// is refused unless the host is loopback or this is set
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
};

// TLS verification is always on. Safe to call send() from several threads at once.
std::unique_ptr<HttpClient> make_curl_client(const HttpOptions& options);

}  // namespace regsweep
