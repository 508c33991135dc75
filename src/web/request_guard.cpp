#include "web/request_guard.hpp"

#include <cctype>
#include <random>

#include "util/ascii.hpp"

namespace regsweep::web {
namespace {

// Compares without an early exit, so the time taken says nothing about how much of a guess was
// right.
bool same_secret(std::string_view given, std::string_view wanted) {
  unsigned char diff = given.size() == wanted.size() ? 0 : 1;
  for (std::size_t i = 0; i < wanted.size(); ++i) {
    const char g = i < given.size() ? given[i] : '\0';
    diff |= static_cast<unsigned char>(g ^ wanted[i]);
  }
  return diff == 0;
}

}  // namespace

std::optional<Refusal> check_request(const GuardConfig& config, const GuardedRequest& request) {
  const std::string port = std::to_string(config.port);
  const std::string host = request.host ? ascii_lower(*request.host) : "";
  if (host != "127.0.0.1:" + port && host != "localhost:" + port) {
    return Refusal{403, "Host '" + std::string(request.host.value_or("")) +
                            "' is not this server; open http://127.0.0.1:" + port + "/"};
  }
  if (request.origin) {
    const std::string origin = ascii_lower(*request.origin);
    if (origin != "http://127.0.0.1:" + port && origin != "http://localhost:" + port)
      return Refusal{403, "cross-origin requests are refused"};
  }
  if (request.method == "OPTIONS") return Refusal{403, "cross-origin requests are refused"};
  const bool api = request.path.starts_with("/api/") || request.path == "/api";
  if (!api) {
    if (request.method != "GET" && request.method != "HEAD")
      return Refusal{405, "only GET serves the page"};
    return std::nullopt;
  }
  if (request.sec_fetch_site &&
      (*request.sec_fetch_site == "cross-site" || *request.sec_fetch_site == "same-site"))
    return Refusal{403, "cross-site requests are refused"};
  if (!request.token || !same_secret(*request.token, config.token))
    return Refusal{401, "missing or wrong X-Regsweep-Token; open the URL regsweep ui printed"};
  return std::nullopt;
}

std::string make_token() {
  std::random_device device;  // /dev/urandom (getrandom) on Linux
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string token;
  for (int i = 0; i < 8; ++i) {
    std::uint32_t word = device();
    for (int j = 0; j < 8; ++j, word >>= 4) token += k_hex[word & 0xf];
  }
  return token;
}

}  // namespace regsweep::web
