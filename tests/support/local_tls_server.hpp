// A tiny HTTPS server on 127.0.0.1, port 0, with a fresh self-signed certificate (made in memory at
// start), for tests of TLS verification: a client that does not trust the certificate must fail,
// and one given certificate_pem() as its CA bundle must get through (so a failure is known to be
// the verification, not the server). Each connection is handled in turn: handshake, read one
// request, answer 200 with a "{}" body, close. Counts connections and completed handshakes.
// With require_client_certificate, it also makes a client certificate (client_certificate_pem,
// client_key_pem) and completes only handshakes of clients that present it (mutual TLS, as a
// Kubernetes API server does for x509 users); verified_clients() counts those.
#pragma once

#include <atomic>
#include <string>
#include <thread>

namespace regsweep::testing {

class LocalTlsServer {
 public:
  // `subject_alt_name` in OpenSSL's syntax: "IP:127.0.0.1", "DNS:example.com".
  explicit LocalTlsServer(const std::string& subject_alt_name = "IP:127.0.0.1",
                          bool require_client_certificate = false);
  ~LocalTlsServer();
  LocalTlsServer(const LocalTlsServer&) = delete;
  LocalTlsServer& operator=(const LocalTlsServer&) = delete;

  int port() const { return m_port; }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(m_port); }
  int connections() const { return m_connections.load(); }
  int handshakes() const { return m_handshakes.load(); }
  const std::string& certificate_pem() const { return m_certificate_pem; }
  const std::string& client_certificate_pem() const { return m_client_certificate_pem; }
  const std::string& client_key_pem() const { return m_client_key_pem; }
  int verified_clients() const { return m_verified_clients.load(); }

 private:
  void accept_loop();
  void serve(int fd);

  void* m_context = nullptr;  // SSL_CTX*, kept out of the header
  std::string m_certificate_pem;
  std::string m_client_certificate_pem;
  std::string m_client_key_pem;
  std::atomic<int> m_verified_clients{0};
  int m_listen_fd = -1;
  int m_port = 0;
  std::atomic<bool> m_stopping{false};
  std::atomic<int> m_connections{0};
  std::atomic<int> m_handshakes{0};
  std::thread m_acceptor;
};

}  // namespace regsweep::testing
