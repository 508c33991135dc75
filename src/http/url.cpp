#include "http/url.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "util/ascii.hpp"

namespace regsweep {
namespace {

bool valid_host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
}

}  // namespace

std::string ParsedUrl::host_header() const {
  std::string out = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port && *port != (scheme == "https" ? 443 : 80)) out += ":" + std::to_string(*port);
  return out;
}

Result<ParsedUrl> parse_url(std::string_view url) {
  auto fail = [&](std::string_view problem) {
    return make_error(ErrorCode::invalid_input, "url " + redact_url(url) + ": " +
                                                    std::string(problem) +
                                                    "; fix: use http(s)://host[:port][/path]");
  };
  ParsedUrl out;
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return fail("no scheme");
  out.scheme = ascii_lower(url.substr(0, scheme_end));
  if (out.scheme != "http" && out.scheme != "https")
    return fail("only http and https are supported");
  std::string_view rest = url.substr(scheme_end + 3);
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  const auto authority_end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view tail = authority_end == std::string_view::npos ? "" : rest.substr(authority_end);
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    out.has_userinfo = true;
    authority = authority.substr(at + 1);
  }
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return fail("unclosed '[' in the host");
    out.host = ascii_lower(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return fail("unexpected text after the IPv6 host");
      port_text = after.substr(1);
      if (port_text.empty()) return fail("empty port");
    }
    const bool ok = !out.host.empty() && std::all_of(out.host.begin(), out.host.end(), [](char c) {
      return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
    });
    if (!ok) return fail("bad IPv6 address");
  } else {
    const auto colon = authority.find(':');
    out.host = ascii_lower(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) return fail("empty port");
    }
    if (out.host.empty()) return fail("no host");
    if (!std::all_of(out.host.begin(), out.host.end(), valid_host_char))
      return fail("bad character in the host");
  }
  if (!port_text.empty()) {
    int port = 0;
    const auto [ptr, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || ptr != port_text.data() + port_text.size() || port < 1 || port > 65535)
      return fail("bad port");
    out.port = port;
  }
  const auto q = tail.find('?');
  out.path = std::string(tail.substr(0, q));
  if (q != std::string_view::npos) out.query = std::string(tail.substr(q + 1));
  if (out.path.empty()) out.path = "/";
  for (char c : out.path)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      return fail("space or control character");
  for (char c : out.query)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      return fail("space or control character");
  return out;
}

bool is_loopback_host(std::string_view host) {
  std::string h = ascii_lower(host);
  if (h.size() > 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  if (h == "localhost" || h == "::1" || h == "0:0:0:0:0:0:0:1") return true;
  // 127.0.0.0/8 as a dotted quad.
  int parts = 0;
  std::size_t pos = 0;
  int first = -1;
  while (pos <= h.size()) {
    const auto dot = std::min(h.find('.', pos), h.size());
    const std::string_view part(h.data() + pos, dot - pos);
    int value = 0;
    const auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (part.empty() || ec != std::errc() || ptr != part.data() + part.size() || value > 255)
      return false;
    if (parts == 0) first = value;
    ++parts;
    pos = dot + 1;
  }
  return parts == 4 && first == 127;
}

std::string redact_url(std::string_view url) {
  std::string_view rest = url;
  std::string out;
  if (const auto s = url.find("://"); s != std::string_view::npos) {
    out = std::string(url.substr(0, s + 3));
    rest = url.substr(s + 3);
  }
  const auto cut = rest.find_first_of("?#");
  rest = rest.substr(0, cut);
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (const auto at = authority.rfind('@'); at != std::string_view::npos)
    authority = authority.substr(at + 1);
  out += authority;
  if (slash != std::string_view::npos) out += rest.substr(slash);
  return out;
}

}  // namespace regsweep
