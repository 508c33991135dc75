// A TCP server on 127.0.0.1, port 0, that accepts connections, reads whatever is sent and never
// answers: the "endpoint that accepts and never answers" of timeout tests. It counts connections,
// so a test can see how many attempts a client made (each timed-out attempt drops its connection
// and the next one opens a new one).
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace regsweep::testing {

class SilentServer {
 public:
  SilentServer();
  ~SilentServer();
  SilentServer(const SilentServer&) = delete;
  SilentServer& operator=(const SilentServer&) = delete;

  int port() const { return m_port; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }
  int connections() const { return m_connections.load(); }

 private:
  void accept_loop();

  int m_listen_fd = -1;
  int m_port = 0;
  std::atomic<bool> m_stopping{false};
  std::atomic<int> m_connections{0};
  std::thread m_acceptor;
  std::mutex m_mutex;
  std::vector<int> m_client_fds;
  std::vector<std::thread> m_readers;
};

}  // namespace regsweep::testing
