// Who may talk to the UI server (issue 14's security model). The server listens on 127.0.0.1 only,
// but any web page the user visits can make the browser send requests to loopback, and a DNS name
// re-pointed at 127.0.0.1 (DNS rebinding) makes such a page same-origin. So:
//   - every request's Host must be 127.0.0.1:PORT or localhost:PORT (a rebound name is refused);
//   - a request with an Origin must come from exactly that origin (no CORS: preflights and
//     cross-origin requests are refused, never answered with Access-Control-* headers);
//   - /api requests must carry the per-run token in the X-Regsweep-Token header (never a cookie,
//     which a browser would attach to a forged request by itself), and must not be marked
//     cross-site or same-site by Sec-Fetch-Site.
// Static files (the page itself) need no token: they hold no data. Pure: headers in, verdict out.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace regsweep::web {

constexpr std::string_view k_token_header = "X-Regsweep-Token";

struct GuardConfig {
  int port = 0;
  std::string token;
};

struct GuardedRequest {
  std::string_view method;
  std::string_view path;
  std::optional<std::string_view> host;
  std::optional<std::string_view> origin;
  std::optional<std::string_view> sec_fetch_site;
  std::optional<std::string_view> token;
};

struct Refusal {
  int status = 403;
  std::string message;
};

// nullopt: serve it.
std::optional<Refusal> check_request(const GuardConfig& config, const GuardedRequest& request);

// 256 random bits, hex.
std::string make_token();

}  // namespace regsweep::web
