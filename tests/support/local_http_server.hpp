// A tiny HTTP/1.1 server on 127.0.0.1, port 0, for tests that must drive the real curl client over
// a real socket (STS, container credentials, IMDS, JSON RPC). Keep-alive is supported, so tests can
// also see connection reuse. Each request is recorded; the handler builds the answer. Not for
// production: no TLS, no chunked request bodies, headers up to 64 KiB.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace regsweep::testing {

struct LocalRequest {
  std::string method;
  std::string target;                          // path and query as sent
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

struct LocalResponse {
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  int delay_ms = 0;  // sleep before answering (timeout tests)
};

class LocalHttpServer {
 public:
  using Handler = std::function<LocalResponse(const LocalRequest&)>;
  explicit LocalHttpServer(Handler handler);
  ~LocalHttpServer();
  LocalHttpServer(const LocalHttpServer&) = delete;
  LocalHttpServer& operator=(const LocalHttpServer&) = delete;

  int port() const { return m_port; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }
  std::vector<LocalRequest> requests() const;
  int connections() const { return m_connections.load(); }

 private:
  void accept_loop();
  void serve(int fd);
  void close_client(int fd);

  Handler m_handler;
  int m_listen_fd = -1;
  int m_port = 0;
  std::atomic<bool> m_stopping{false};
  std::atomic<int> m_connections{0};
  std::thread m_acceptor;
  mutable std::mutex m_mutex;
  std::vector<LocalRequest> m_requests;
  std::vector<int> m_client_fds;
  std::vector<std::thread> m_workers;
};

}  // namespace regsweep::testing
