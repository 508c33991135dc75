// What `-v` and `--debug` show of the network (docs/output.md "Seeing what happens"): one line per
// HTTP exchange — method, URL without query or userinfo, the operation and attempt the caller
// names, status, latency, request id — and, with --debug, the request and response headers. Set
// once for the process (by the CLI, before any client is made) and read by the one curl client,
// so every client — ECR, STS, ECS, Lambda, credential endpoints, the Kubernetes API — is covered.
//
// Secrets never reach a trace line: header values whose name says credential (Authorization,
// Proxy-Authorization, Cookie, Set-Cookie, X-Amz-Security-Token, any *token*, *secret*,
// *password*, *credential*, *api-key*) are replaced by <redacted>; URLs lose userinfo, query and
// fragment; bodies are never shown.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace regsweep {

enum class HttpTraceLevel { off, calls, headers };

using HttpTraceSink = std::function<void(std::string_view line)>;

// Process-wide. The sink must be thread-safe (the CLI's writes one line to stderr under a lock).
void set_http_trace(HttpTraceLevel level, HttpTraceSink sink);
HttpTraceLevel http_trace_level();
// Writes one line when the level is at least `level`.
void http_trace(HttpTraceLevel level, std::string_view line);

// True for a header whose value is a secret (case-insensitive).
bool is_secret_header(std::string_view name);
// "Name: value", the value <redacted> when the header is a secret.
std::string trace_header(std::string_view name, std::string_view value);

// The proxy libcurl uses for `url` from the environment (it reads these itself): for https
// https_proxy, HTTPS_PROXY; for http http_proxy; then all_proxy, ALL_PROXY; none when no_proxy /
// NO_PROXY lists the host (a suffix match, or "*"). `variable` names where it came from; `url`
// is the proxy without userinfo.
struct ProxyChoice {
  std::string url;
  std::string variable;
};
std::optional<ProxyChoice> proxy_for_url(std::string_view url,
                                         const std::function<const char*(const char*)>& getenv);
std::optional<ProxyChoice> proxy_for_url(std::string_view url);

}  // namespace regsweep
