// The HTTP door. Everything regsweep sends over the network goes through an HttpClient; the one
// curl implementation lives in curl_client.cpp, and tests use fakes and fault-injecting wrappers of
// this interface. A transport failure (refused, reset, timeout) is an Error with code transient
// (invalid_input for a malformed URL, a refused plain-http URL, a missing CA bundle or a header
// that holds a control character; internal for an answer over max_response_bytes); a timeout also
// carries Error::service_code "timeout" (retry budgets charge it more). A server whose TLS
// certificate cannot be verified (unknown CA, expired, wrong host name) is unauthorized with
// service_code "tls_verification": retrying cannot fix it, so it is not retryable. Any HTTP status,
// 4xx and 5xx included, is a response.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/result.hpp"
#include "util/secret.hpp"

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
  // For -v/--debug lines only (http/http_trace.hpp): the operation ("DescribeImages") and the
  // attempt of the caller's retry loop (0: not said).
  std::string operation{};
  int attempt = 0;
};

struct HttpResponse {
  long status = 0;
  HttpHeaders headers;  // names lower-cased
  std::string body;

  // The first header with this (lower-case) name, or empty.
  std::string header(std::string_view lower_name) const;
};

struct HttpOptions {
  // TCP connect and TLS handshake; 0: no limit of its own (request_timeout still holds).
  std::chrono::milliseconds connect_timeout{10'000};
  // Once connected, an exchange fails when no byte of the answer arrives for this long (a stalled
  // or silent server), however long the whole answer takes; 0: no read timeout.
  std::chrono::milliseconds read_timeout{0};
  // A cap on one whole exchange, connect included; 0: none.
  std::chrono::milliseconds request_timeout{60'000};
  std::size_t max_response_bytes = 256u << 20;  // larger answers fail instead of exhausting memory
  std::string ca_bundle;                        // empty: the system store
  // A TLS client certificate and its private key, PEM text (Kubernetes users authenticated by
  // x509: kubeconfig client-certificate(-data) and client-key(-data)); both or neither. Handed to
  // curl in memory: the key is never written to a file.
  std::string client_certificate_pem;
  Secret client_key_pem;
  bool allow_plain_http = false;  // http:// is refused unless the host is loopback or this is set
  // How to trust a server whose certificate does not verify, for that error's "fix:" (the AWS
  // session names AWS_CA_BUNDLE and ca_bundle).
  std::string ca_bundle_hint = "pass the CA bundle (PEM) of the server's certificate authority";
  std::string user_agent = "regsweep/0.1";  // checked like every header value
};

// True when `value` holds a byte that must never be in an HTTP header value: any control character
// (below 0x20, tab included) or DEL (0x7f). CR and LF would end the header and start another one.
bool has_control_character(std::string_view value);

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
};

// TLS verification is always on. A request whose header names or values (the user agent included)
// hold a control character is refused before anything is sent. Safe to call send() from several
// threads at once.
std::unique_ptr<HttpClient> make_curl_client(const HttpOptions& options);

}  // namespace regsweep
