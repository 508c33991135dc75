// The one file that includes curl. A pool of easy handles (each keeps its own connection cache, so
// sequential calls on a thread reuse the TCP/TLS connection) plus a share handle for DNS and TLS
// sessions. Every request: TLS peer and host verification on, http/https only, no redirects, no
// signals (threads), connect and total timeouts, a response size cap.
#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <mutex>
#include <vector>

#include "http/http_client.hpp"
#include "http/url.hpp"

namespace regsweep {
namespace {

std::once_flag g_curl_init;

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

struct Transfer {
  HttpResponse response;
  std::size_t max_bytes = 0;
  bool too_large = false;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  if (t->response.body.size() + n > t->max_bytes) {
    t->too_large = true;
    return 0;  // makes curl stop with CURLE_WRITE_ERROR
  }
  t->response.body.append(data, n);
  return n;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  const std::string_view line(data, n);
  if (line.starts_with("HTTP/")) {
    t->response.headers.clear();  // a new response (after 100 Continue): forget the interim one
    return n;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return n;
  t->response.headers.emplace_back(lower(trim(line.substr(0, colon))),
                                   std::string(trim(line.substr(colon + 1))));
  return n;
}

Error transport_error(CURLcode code, const std::string& what, const char* detail) {
  std::string message = "http: " + what + ": " + curl_easy_strerror(code);
  if (detail != nullptr && *detail != '\0') message += std::string(" (") + detail + ")";
  switch (code) {
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return make_error(ErrorCode::invalid_input, message + "; fix: check the URL");
    case CURLE_SSL_CACERT_BADFILE:
      return make_error(ErrorCode::invalid_input, message + "; fix: check the CA bundle path");
    case CURLE_OPERATION_TIMEDOUT: {
      Error e = make_error(ErrorCode::transient, message);
      e.service_code = "timeout";
      return e;
    }
    case CURLE_PEER_FAILED_VERIFICATION:
      return make_error(ErrorCode::transient,
                        message + "; fix: if the server uses a private CA, pass its bundle");
    default:
      return make_error(ErrorCode::transient, message);
  }
}

class CurlClient final : public HttpClient {
 public:
  explicit CurlClient(HttpOptions options) : m_options(std::move(options)) {
    std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    m_share = curl_share_init();
    curl_share_setopt(m_share, CURLSHOPT_LOCKFUNC, &CurlClient::lock);
    curl_share_setopt(m_share, CURLSHOPT_UNLOCKFUNC, &CurlClient::unlock);
    curl_share_setopt(m_share, CURLSHOPT_USERDATA, this);
    curl_share_setopt(m_share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(m_share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  }

  ~CurlClient() override {
    for (CURL* h : m_idle) curl_easy_cleanup(h);
    curl_share_cleanup(m_share);
  }

  Result<HttpResponse> send(const HttpRequest& request) override {
    auto url = parse_url(request.url);
    if (!url) return url.error();
    const std::string what = request.method + " " + redact_url(request.url);
    if (url->scheme == "http" && !m_options.allow_plain_http && !is_loopback_host(url->host)) {
      return make_error(ErrorCode::invalid_input,
                        "http: " + what +
                            ": plain http is allowed only for loopback hosts; fix: use https, or "
                            "allow plain http explicitly");
    }
    CURL* h = acquire();
    if (h == nullptr) return make_error(ErrorCode::internal, "http: curl_easy_init failed");
    Transfer transfer;
    transfer.max_bytes = m_options.max_response_bytes;
    curl_slist* headers = nullptr;
    for (const auto& [name, value] : request.headers)
      headers = curl_slist_append(headers, (name + ": " + value).c_str());
    // We sign ourselves, so suppressing curl's own Expect/Accept headers is safe here and spares
    // a 1 s wait on servers that do not answer 100-continue.
    if (std::none_of(request.headers.begin(), request.headers.end(),
                     [](const auto& p) { return lower(p.first) == "expect"; }))
      headers = curl_slist_append(headers, "Expect:");
    char error_buffer[CURL_ERROR_SIZE] = {0};
    configure(h, request, headers, transfer, error_buffer);
    const CURLcode code = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    release(h);
    if (transfer.too_large)
      return make_error(ErrorCode::internal, "http: " + what + ": response larger than " +
                                                 std::to_string(m_options.max_response_bytes) +
                                                 " bytes; refused");
    if (code != CURLE_OK) return transport_error(code, what, error_buffer);
    transfer.response.status = status;
    return std::move(transfer.response);
  }

 private:
  void configure(CURL* h, const HttpRequest& request, curl_slist* headers, Transfer& transfer,
                 char* error_buffer) {
    curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(h, CURLOPT_SHARE, m_share);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!m_options.ca_bundle.empty())
      curl_easy_setopt(h, CURLOPT_CAINFO, m_options.ca_bundle.c_str());
    auto total = request.timeout.count() > 0 ? request.timeout : m_options.request_timeout;
    auto connect = std::min(m_options.connect_timeout, total);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect.count()));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(total.count()));
    curl_easy_setopt(h, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "regsweep/0.1");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &transfer);
    const std::string& m = request.method;
    if (m == "GET") {
      curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else if (m == "HEAD") {
      curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else {
      // POST semantics (body from memory, Content-Length always sent) with the method's name.
      curl_easy_setopt(h, CURLOPT_POST, 1L);
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
      if (m != "POST") curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, m.c_str());
    }
  }

  CURL* acquire() {
    {
      std::lock_guard lock(m_pool_mutex);
      if (!m_idle.empty()) {
        CURL* h = m_idle.back();
        m_idle.pop_back();
        curl_easy_reset(h);  // keeps the handle's live connections, drops the old options
        return h;
      }
    }
    return curl_easy_init();
  }

  void release(CURL* h) {
    std::lock_guard lock(m_pool_mutex);
    if (m_idle.size() < k_max_idle) {
      m_idle.push_back(h);
      return;
    }
    curl_easy_cleanup(h);
  }

  static void lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
    static_cast<CurlClient*>(user)
        ->m_share_mutexes[static_cast<std::size_t>(data) % k_share_locks]
        .lock();
  }
  static void unlock(CURL*, curl_lock_data data, void* user) {
    static_cast<CurlClient*>(user)
        ->m_share_mutexes[static_cast<std::size_t>(data) % k_share_locks]
        .unlock();
  }

  static constexpr std::size_t k_max_idle = 32;
  static constexpr std::size_t k_share_locks = 8;

  HttpOptions m_options;
  CURLSH* m_share = nullptr;
  std::array<std::mutex, k_share_locks> m_share_mutexes;
  std::mutex m_pool_mutex;
  std::vector<CURL*> m_idle;
};

}  // namespace

std::unique_ptr<HttpClient> make_curl_client(const HttpOptions& options) {
  return std::make_unique<CurlClient>(options);
}

}  // namespace regsweep
