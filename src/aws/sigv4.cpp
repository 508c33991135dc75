#include "aws/sigv4.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <vector>

#include "http/url.hpp"
#include "util/ascii.hpp"

namespace regsweep {
namespace {

// Trim both ends and collapse inner runs of spaces to one (SigV4 "Trimall").
std::string trim_all(std::string_view v) {
  std::string out;
  bool in_space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      in_space = true;
      continue;
    }
    if (in_space && !out.empty()) out += ' ';
    in_space = false;
    out += c;
  }
  return out;
}

bool is_unsigned_header(std::string_view lower_name) {
  return lower_name == "user-agent" || lower_name == "content-length" || lower_name == "expect" ||
         lower_name == "accept-encoding" || lower_name == "authorization" ||
         lower_name == "x-amzn-trace-id";
}

void set_header(HttpHeaders& headers, std::string_view name, std::string value) {
  const std::string lname = ascii_lower(name);
  std::erase_if(headers, [&](const auto& h) { return ascii_lower(h.first) == lname; });
  headers.emplace_back(std::string(name), std::move(value));
}

// Path segments are decoded and re-encoded so "/a%20b" and "/a b" sign the same; '/' stays.
std::string canonical_path(std::string_view path) {
  if (path.empty()) return "/";
  return aws_uri_encode(url_decode(path), true);
}

// Parameters sorted by encoded name, then value; every name and value re-encoded.
std::string canonical_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> params;
  std::size_t pos = 0;
  while (pos <= query.size() && !query.empty()) {
    const auto amp = std::min(query.find('&', pos), query.size());
    const std::string_view item = query.substr(pos, amp - pos);
    if (!item.empty()) {
      const auto eq = item.find('=');
      const std::string_view name = item.substr(0, eq);
      const std::string_view value = eq == std::string_view::npos ? "" : item.substr(eq + 1);
      params.emplace_back(aws_uri_encode(url_decode(name), false),
                          aws_uri_encode(url_decode(value), false));
    }
    pos = amp + 1;
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += '&';
    out += name + "=" + value;
  }
  return out;
}

}  // namespace

std::string to_hex(std::string_view bytes) {
  static constexpr char k_digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += k_digits[c >> 4];
    out += k_digits[c & 15];
  }
  return out;
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  return to_hex(std::string_view(reinterpret_cast<const char*>(digest), length));
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &length);
  return std::string(reinterpret_cast<const char*>(mac), length);
}

std::string amz_date(EpochMillis t) {
  // format_iso8601 gives "2015-08-30T12:36:00Z" (or with .mmm); keep digits and the T/Z.
  const EpochMillis whole_seconds = t - ((t % 1000) + 1000) % 1000;
  std::string iso = format_iso8601(whole_seconds);
  std::string out;
  for (char c : iso)
    if (std::isdigit(static_cast<unsigned char>(c)) || c == 'T' || c == 'Z') out += c;
  return out;
}

std::string aws_uri_encode(std::string_view text, bool keep_slash) {
  static constexpr char k_digits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
        (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += k_digits[c >> 4];
      out += k_digits[c & 15];
    }
  }
  return out;
}

std::string url_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() &&
        std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

Result<SigV4Trace> sign_request(HttpRequest& request, const AwsCredentials& credentials,
                                const SigningScope& scope, EpochMillis now) {
  auto url = parse_url(request.url);
  if (!url) return url.error();
  const std::string date_time = amz_date(now);
  const std::string date = date_time.substr(0, 8);

  set_header(request.headers, "Host", url->host_header());
  set_header(request.headers, "X-Amz-Date", date_time);
  if (!credentials.session_token.empty())
    set_header(request.headers, "X-Amz-Security-Token", credentials.session_token.reveal());
  std::erase_if(request.headers,
                [](const auto& h) { return ascii_lower(h.first) == "authorization"; });

  std::map<std::string, std::string> canonical;  // sorted by lower-case name
  for (const auto& [name, value] : request.headers) {
    const std::string lname = ascii_lower(name);
    if (is_unsigned_header(lname)) continue;
    auto [it, inserted] = canonical.try_emplace(lname, trim_all(value));
    if (!inserted) it->second += "," + trim_all(value);
  }
  SigV4Trace trace;
  std::string header_block;
  for (const auto& [name, value] : canonical) {
    header_block += name + ":" + value + "\n";
    if (!trace.signed_headers.empty()) trace.signed_headers += ';';
    trace.signed_headers += name;
  }
  trace.canonical_request = request.method + "\n" + canonical_path(url->path) + "\n" +
                            canonical_query(url->query) + "\n" + header_block + "\n" +
                            trace.signed_headers + "\n" + sha256_hex(request.body);
  const std::string scope_text = date + "/" + scope.region + "/" + scope.service + "/aws4_request";
  trace.string_to_sign = "AWS4-HMAC-SHA256\n" + date_time + "\n" + scope_text + "\n" +
                         sha256_hex(trace.canonical_request);
  const std::string k_date = hmac_sha256("AWS4" + credentials.secret_access_key.reveal(), date);
  const std::string k_region = hmac_sha256(k_date, scope.region);
  const std::string k_service = hmac_sha256(k_region, scope.service);
  const std::string k_signing = hmac_sha256(k_service, "aws4_request");
  trace.signature = to_hex(hmac_sha256(k_signing, trace.string_to_sign));
  trace.authorization = "AWS4-HMAC-SHA256 Credential=" + credentials.access_key_id + "/" +
                        scope_text + ", SignedHeaders=" + trace.signed_headers +
                        ", Signature=" + trace.signature;
  request.headers.emplace_back("Authorization", trace.authorization);
  return trace;
}

}  // namespace regsweep
