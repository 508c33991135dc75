#include "http/http_trace.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdlib>
#include <mutex>

#include "http/url.hpp"
#include "util/ascii.hpp"
#include "util/secret.hpp"

namespace regsweep {
namespace {

std::atomic<HttpTraceLevel> g_level{HttpTraceLevel::off};
std::mutex g_sink_mutex;
HttpTraceSink g_sink;

// no_proxy: comma- or space-separated host names or domain suffixes (".example.com" or
// "example.com" both match sub.example.com), "*" for every host. Ports and CIDR ranges are not
// interpreted (a host given as an IP matches itself).
bool host_excluded(const std::string& host, std::string_view no_proxy) {
  std::size_t start = 0;
  while (start < no_proxy.size()) {
    auto end = no_proxy.find_first_of(", ", start);
    if (end == std::string_view::npos) end = no_proxy.size();
    std::string entry = ascii_lower(no_proxy.substr(start, end - start));
    start = end + 1;
    if (entry.empty()) continue;
    if (entry == "*") return true;
    if (const auto colon = entry.find(':'); colon != std::string::npos && entry.front() != '[')
      entry.resize(colon);
    if (entry.front() == '.') entry.erase(0, 1);
    if (host == entry) return true;
    if (host.size() > entry.size() && host.ends_with(entry) &&
        host[host.size() - entry.size() - 1] == '.')
      return true;
  }
  return false;
}

}  // namespace

void set_http_trace(HttpTraceLevel level, HttpTraceSink sink) {
  std::lock_guard lock(g_sink_mutex);
  g_sink = std::move(sink);
  g_level = g_sink ? level : HttpTraceLevel::off;
}

HttpTraceLevel http_trace_level() {
  return g_level.load();
}

void http_trace(HttpTraceLevel level, std::string_view line) {
  if (level == HttpTraceLevel::off || g_level.load() < level) return;
  std::lock_guard lock(g_sink_mutex);
  if (g_sink) g_sink(line);
}

bool is_secret_header(std::string_view name) {
  const std::string n = ascii_lower(name);
  if (n == "authorization" || n == "proxy-authorization" || n == "cookie" || n == "set-cookie")
    return true;
  for (const char* word : {"token", "secret", "password", "credential", "api-key", "apikey"}) {
    if (n.find(word) != std::string::npos) return true;
  }
  return false;
}

std::string trace_header(std::string_view name, std::string_view value) {
  return std::string(name) + ": " +
         (is_secret_header(name) ? std::string(Secret::redacted()) : std::string(value));
}

std::optional<ProxyChoice> proxy_for_url(std::string_view url,
                                         const std::function<const char*(const char*)>& getenv) {
  auto parsed = parse_url(url);
  if (!parsed) return std::nullopt;
  for (const char* name : {"no_proxy", "NO_PROXY"}) {
    const char* value = getenv(name);
    if (value != nullptr && *value != '\0') {
      if (host_excluded(parsed->host, value)) return std::nullopt;
      break;  // libcurl reads the first one set
    }
  }
  // libcurl reads only the lower-case http_proxy (HTTP_PROXY can be set by a CGI request).
  const std::initializer_list<const char*> https = {"https_proxy", "HTTPS_PROXY", "all_proxy",
                                                    "ALL_PROXY"};
  const std::initializer_list<const char*> http = {"http_proxy", "all_proxy", "ALL_PROXY"};
  for (const char* name : parsed->scheme == "https" ? https : http) {
    const char* value = getenv(name);
    if (value != nullptr && *value != '\0') {
      std::string proxy = value;
      if (proxy.find("://") == std::string::npos) proxy = "http://" + proxy;
      return ProxyChoice{redact_url(proxy), name};
    }
  }
  return std::nullopt;
}

std::optional<ProxyChoice> proxy_for_url(std::string_view url) {
  return proxy_for_url(url, [](const char* name) { return std::getenv(name); });
}

}  // namespace regsweep
