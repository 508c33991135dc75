// The one file that includes curl. A pool of (multi, easy) handle pairs — the multi handle keeps
// the connection cache, so sequential calls on a thread reuse the TCP/TLS connection — plus a
// share handle for DNS and TLS sessions. Every request: TLS peer and host verification on,
// http/https only, no redirects, no signals (threads), header names and values free of control
// characters, a connect timeout, a read timeout, an overall cap and a response size cap.
//
// Why a multi handle per transfer rather than curl_easy_perform: the read timeout ("no byte
// received for N ms") must work below a second (tests use 0.2 s), and curl's own stall detection
// (CURLOPT_LOW_SPEED_TIME) counts whole seconds and averages speed. Driving the transfer ourselves
// lets us watch the time since the last byte, to the millisecond.
#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <set>
#include <vector>

#include "http/http_client.hpp"
#include "http/http_trace.hpp"
#include "http/url.hpp"
#include "util/ascii.hpp"

namespace regsweep {
namespace {

std::once_flag g_curl_init;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

using Clock = std::chrono::steady_clock;

struct Transfer {
  HttpResponse response;
  std::size_t max_bytes = 0;
  bool too_large = false;
  // Set when the connection is ready and the request is about to be sent; then moved on by every
  // byte of the answer. The read timeout counts from here.
  bool request_sent = false;
  Clock::time_point last_progress;
};

// CURLOPT_PREREQFUNCTION: connected (or reused), TLS done, the request goes out now.
int on_request_ready(void* user, char*, char*, int, int) {
  auto* t = static_cast<Transfer*>(user);
  t->request_sent = true;
  t->last_progress = Clock::now();
  return CURL_PREREQFUNC_OK;
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  t->last_progress = Clock::now();
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
  t->last_progress = Clock::now();
  const std::string_view line(data, n);
  if (line.starts_with("HTTP/")) {
    t->response.headers.clear();  // a new response (after 100 Continue): forget the interim one
    return n;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return n;
  t->response.headers.emplace_back(ascii_lower(trim(line.substr(0, colon))),
                                   std::string(trim(line.substr(colon + 1))));
  return n;
}

// "0.3 s", "20 s": the timeouts as people write them.
std::string seconds_text(std::chrono::milliseconds ms) {
  char text[32];
  std::snprintf(text, sizeof text, "%g s", static_cast<double>(ms.count()) / 1000.0);
  return text;
}

// The one place a curl failure becomes an Error: what it is, whether a retry can help, and the fix.
Error transport_error(CURLcode code, const std::string& what, const char* detail,
                      const HttpOptions& options, const std::string& url) {
  std::string message = "http: " + what + ": " + curl_easy_strerror(code);
  if (detail != nullptr && *detail != '\0') message += std::string(" (") + detail + ")";
  // A connection through a proxy fails in ways that look like the server's: say it was used.
  if (const auto proxy = proxy_for_url(url))
    message += " [through proxy " + proxy->url + " from " + proxy->variable + "]";
  switch (code) {
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return make_error(ErrorCode::invalid_input, message + "; fix: check the URL");
    case CURLE_SSL_CACERT_BADFILE:
      return make_error(ErrorCode::invalid_input, message + "; fix: check the CA bundle path");
    case CURLE_SSL_CERTPROBLEM:  // the client certificate or key is unusable or do not match
      return make_error(ErrorCode::invalid_input,
                        message +
                            "; fix: check the client certificate and its key (PEM, matching each "
                            "other, the key unencrypted)");
    case CURLE_OPERATION_TIMEDOUT: {
      Error e = make_error(ErrorCode::transient, message);
      e.service_code = "timeout";
      return e;
    }
    // The server's certificate does not verify: unknown or private CA, expired, revoked, or issued
    // for another host name. The same certificate comes back on every attempt, so retrying only
    // multiplies the wait; and it may be someone in the middle, so it is never worked around.
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH: {
      Error e = make_error(
          ErrorCode::unauthorized,
          message +
              "; not retried: the server's TLS certificate could not be verified (an unknown or "
              "private CA, an expired certificate, or one issued for another host name); fix: if "
              "the endpoint uses a private CA, " +
              options.ca_bundle_hint + "; otherwise check the endpoint URL");
      e.service_code = "tls_verification";
      return e;
    }
    default:
      return make_error(ErrorCode::transient, message);
  }
}

// RFC 9110 token characters: what a header name may hold.
bool valid_header_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) ||
           std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
  });
}

// Refuses a request that would put a control character on the wire inside a header: CR/LF in a
// value (a session token from a tampered environment, say) would end that header and start one of
// the attacker's choosing. Names the header, never its value (it may be a secret).
Status check_headers(const HttpRequest& request, const HttpOptions& options,
                     const std::string& what) {
  const auto refuse = [&](const std::string& header) -> Status {
    return make_error(ErrorCode::invalid_input,
                      "http: " + what + ": " + header +
                          " contains a control character (CR, LF, tab or another byte below "
                          "0x20, or DEL); refused, nothing was sent; fix: check where that value "
                          "comes from");
  };
  if (has_control_character(options.user_agent)) return refuse("the User-Agent value");
  for (const auto& [name, value] : request.headers) {
    if (!valid_header_name(name))
      return make_error(ErrorCode::invalid_input,
                        "http: " + what +
                            ": a header name is empty or holds a character other than letters, "
                            "digits and !#$%&'*+-.^_`|~; refused, nothing was sent");
    if (has_control_character(value)) return refuse("the value of header " + name);
  }
  return ok_status();
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
    for (const Handles& h : m_idle) cleanup(h);
    curl_share_cleanup(m_share);
  }

  Result<HttpResponse> send(const HttpRequest& request) override {
    if (http_trace_level() == HttpTraceLevel::off) return send_once(request);
    trace_route(request.url);
    if (http_trace_level() >= HttpTraceLevel::headers) {
      for (const auto& [name, value] : request.headers)
        http_trace(HttpTraceLevel::headers, "http: > " + trace_header(name, value));
    }
    const auto start = Clock::now();
    auto result = send_once(request);
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
    std::string line = "http: " + request.method + " " + redact_url(request.url);
    if (!request.operation.empty()) line += " " + request.operation;
    if (result.ok()) {
      line += " " + std::to_string(result->status) + " " + std::to_string(ms) + " ms";
      for (const char* id : {"x-amzn-requestid", "x-amz-request-id", "x-request-id", "audit-id"}) {
        if (const std::string value = result->header(id); !value.empty()) {
          line += " request-id " + value;
          break;
        }
      }
    } else {
      line += " failed after " + std::to_string(ms) + " ms: " + result.error().message;
    }
    if (request.attempt > 0) line += " attempt " + std::to_string(request.attempt);
    http_trace(HttpTraceLevel::calls, line);
    if (result.ok() && http_trace_level() >= HttpTraceLevel::headers) {
      for (const auto& [name, value] : result->headers)
        http_trace(HttpTraceLevel::headers, "http: < " + trace_header(name, value));
    }
    return result;
  }

 private:
  // Once per host: the proxy and the CA bundle its connections use.
  void trace_route(const std::string& url) {
    auto parsed = parse_url(url);
    if (!parsed) return;
    const std::string key = parsed->scheme + "://" + parsed->host_header();
    {
      std::lock_guard lock(m_traced_mutex);
      if (!m_traced_hosts.insert(key).second) return;
    }
    std::string line = "http: " + key + ": ";
    if (const auto proxy = proxy_for_url(url)) {
      line += "proxy " + proxy->url + " (from " + proxy->variable + ")";
    } else {
      line += "no proxy";
    }
    if (parsed->scheme == "https") {
      if (!m_options.ca_bundle.empty()) {
        line += "; CA bundle " + m_options.ca_bundle;
      } else {
        const curl_version_info_data* info = curl_version_info(CURLVERSION_NOW);
        const char* builtin =
            info != nullptr && info->age >= CURLVERSION_SEVENTH ? info->cainfo : nullptr;
        line += std::string("; CA bundle: the system's") +
                (builtin != nullptr ? std::string(" (") + builtin + ")" : std::string());
      }
    }
    http_trace(HttpTraceLevel::calls, line);
  }

  Result<HttpResponse> send_once(const HttpRequest& request) {
    auto url = parse_url(request.url);
    if (!url) return url.error();
    const std::string what = request.method + " " + redact_url(request.url);
    if (url->scheme == "http" && !m_options.allow_plain_http && !is_loopback_host(url->host)) {
      return make_error(ErrorCode::invalid_input,
                        "http: " + what +
                            ": plain http is allowed only for loopback hosts; fix: use https, or "
                            "allow plain http explicitly");
    }
    if (auto checked = check_headers(request, m_options, what); !checked) return checked.error();
    Handles h = acquire();
    if (h.multi == nullptr || h.easy == nullptr) {
      cleanup(h);
      return make_error(ErrorCode::internal, "http: curl_multi_init/curl_easy_init failed");
    }
    Transfer transfer;
    transfer.max_bytes = m_options.max_response_bytes;
    curl_slist* headers = nullptr;
    for (const auto& [name, value] : request.headers)
      headers = curl_slist_append(headers, (name + ": " + value).c_str());
    // We sign ourselves, so suppressing curl's own Expect/Accept headers is safe here and spares
    // a 1 s wait on servers that do not answer 100-continue.
    if (std::none_of(request.headers.begin(), request.headers.end(),
                     [](const auto& p) { return ascii_lower(p.first) == "expect"; }))
      headers = curl_slist_append(headers, "Expect:");
    char error_buffer[CURL_ERROR_SIZE] = {0};
    configure(h.easy, request, headers, transfer, error_buffer);
    const Outcome outcome = perform(h, transfer);
    long status = 0;
    curl_easy_getinfo(h.easy, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    release(h);
    if (transfer.too_large)
      return make_error(ErrorCode::internal, "http: " + what + ": response larger than " +
                                                 std::to_string(m_options.max_response_bytes) +
                                                 " bytes; refused");
    if (outcome.read_timed_out) {
      Error e = make_error(ErrorCode::transient,
                           "http: " + what + ": timed out: nothing received for " +
                               seconds_text(m_options.read_timeout) + " (the read timeout)");
      e.service_code = "timeout";
      return e;
    }
    if (outcome.multi_failed)
      return make_error(ErrorCode::internal,
                        "http: " + what + ": " + curl_multi_strerror(outcome.multi_code));
    if (outcome.code != CURLE_OK)
      return transport_error(outcome.code, what, error_buffer, m_options, request.url);
    transfer.response.status = status;
    return std::move(transfer.response);
  }

  // A multi handle with its one easy handle: the multi handle owns the connection cache.
  struct Handles {
    CURLM* multi = nullptr;
    CURL* easy = nullptr;
  };

  struct Outcome {
    CURLcode code = CURLE_OK;
    bool read_timed_out = false;
    bool multi_failed = false;
    CURLMcode multi_code = CURLM_OK;
  };

  // Runs one transfer to its end, or until nothing has been received for the read timeout after
  // the request went out (then the connection is dropped, not reused). curl enforces the connect
  // timeout and the overall cap itself.
  Outcome perform(const Handles& h, Transfer& transfer) {
    Outcome out;
    curl_multi_add_handle(h.multi, h.easy);
    const auto read_timeout = m_options.read_timeout;
    int running = 1;
    while (true) {
      out.multi_code = curl_multi_perform(h.multi, &running);
      if (out.multi_code != CURLM_OK || running == 0) break;
      int wait_ms = 1000;
      if (read_timeout.count() > 0 && transfer.request_sent) {
        const auto idle = Clock::now() - transfer.last_progress;
        if (idle >= read_timeout) {
          out.read_timed_out = true;
          break;
        }
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(read_timeout - idle);
        wait_ms = static_cast<int>(std::min<long long>(wait_ms, left.count()));
      }
      // Waits for socket activity, at most wait_ms or curl's own next timer, whichever is sooner.
      out.multi_code = curl_multi_poll(h.multi, nullptr, 0, wait_ms, nullptr);
      if (out.multi_code != CURLM_OK) break;
    }
    if (out.multi_code != CURLM_OK) {
      out.multi_failed = true;
    } else if (!out.read_timed_out) {
      int left = 0;
      out.code = CURLE_GOT_NOTHING;
      while (CURLMsg* message = curl_multi_info_read(h.multi, &left)) {
        if (message->msg == CURLMSG_DONE && message->easy_handle == h.easy)
          out.code = message->data.result;
      }
    }
    curl_multi_remove_handle(h.multi, h.easy);
    return out;
  }

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
    if (!m_options.client_certificate_pem.empty()) {
      // CURL_BLOB_COPY: curl keeps its own copy, so the options may go away first.
      curl_blob certificate{const_cast<char*>(m_options.client_certificate_pem.data()),
                            m_options.client_certificate_pem.size(), CURL_BLOB_COPY};
      const std::string& key_pem = m_options.client_key_pem.reveal();
      curl_blob key{const_cast<char*>(key_pem.data()), key_pem.size(), CURL_BLOB_COPY};
      curl_easy_setopt(h, CURLOPT_SSLCERTTYPE, "PEM");
      curl_easy_setopt(h, CURLOPT_SSLCERT_BLOB, &certificate);
      curl_easy_setopt(h, CURLOPT_SSLKEYTYPE, "PEM");
      curl_easy_setopt(h, CURLOPT_SSLKEY_BLOB, &key);
    }
    const auto total = request.timeout.count() > 0 ? request.timeout : m_options.request_timeout;
    // curl reads a connect timeout of 0 as its built-in 300 s; "no limit of its own" means the
    // overall cap (or, with none, a day).
    auto connect = m_options.connect_timeout;
    if (connect.count() == 0) connect = total.count() > 0 ? total : std::chrono::hours(24);
    if (total.count() > 0) connect = std::min(connect, total);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect.count()));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(total.count()));
    curl_easy_setopt(h, CURLOPT_PREREQFUNCTION, &on_request_ready);
    curl_easy_setopt(h, CURLOPT_PREREQDATA, &transfer);
    curl_easy_setopt(h, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(h, CURLOPT_USERAGENT, m_options.user_agent.c_str());
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

  Handles acquire() {
    {
      std::lock_guard lock(m_pool_mutex);
      if (!m_idle.empty()) {
        Handles h = m_idle.back();
        m_idle.pop_back();
        curl_easy_reset(h.easy);  // drops the old options; the connections live in the multi
        return h;
      }
    }
    return {curl_multi_init(), curl_easy_init()};
  }

  void release(const Handles& h) {
    {
      std::lock_guard lock(m_pool_mutex);
      if (m_idle.size() < k_max_idle) {
        m_idle.push_back(h);
        return;
      }
    }
    cleanup(h);
  }

  static void cleanup(const Handles& h) {
    if (h.easy != nullptr) curl_easy_cleanup(h.easy);
    if (h.multi != nullptr) curl_multi_cleanup(h.multi);
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
  std::vector<Handles> m_idle;
  std::mutex m_traced_mutex;
  std::set<std::string> m_traced_hosts;
};

}  // namespace

std::unique_ptr<HttpClient> make_curl_client(const HttpOptions& options) {
  return std::make_unique<CurlClient>(options);
}

}  // namespace regsweep
