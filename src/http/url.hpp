// A small URL parser for the URLs regsweep builds or is given (endpoints, metadata services), so
// the signer, the curl client and the endpoint resolver agree on host, port and path. Accepts
// scheme://[userinfo@]host[:port][/path][?query][#fragment] with http and https schemes only;
// IPv6 hosts in brackets. No percent-decoding: path and query are kept as written.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace regsweep {

struct ParsedUrl {
  std::string scheme;  // lower-case "http" or "https"
  std::string host;    // lower-case; IPv6 without brackets
  std::optional<int> port;
  std::string path;   // "/" when empty
  std::string query;  // without '?'
  bool has_userinfo = false;

  int effective_port() const { return port ? *port : (scheme == "https" ? 443 : 80); }
  // "host" or "host:port" (port only when not the scheme's default), IPv6 in brackets: what a
  // client sends as the Host header and what SigV4 signs.
  std::string host_header() const;
};

// invalid_input naming the problem (never echoing userinfo) when the URL is malformed.
Result<ParsedUrl> parse_url(std::string_view url);

// localhost, 127.0.0.0/8, ::1.
bool is_loopback_host(std::string_view host);

// scheme://host[:port]/path — without userinfo, query or fragment, which may carry credentials.
std::string redact_url(std::string_view url);

}  // namespace regsweep
