#include "support/silent_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace regsweep::testing {

SilentServer::SilentServer() {
  m_listen_fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (m_listen_fd < 0) throw std::runtime_error("socket");
  int one = 1;
  ::setsockopt(m_listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(m_listen_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(m_listen_fd, 64) != 0)
    throw std::runtime_error("bind/listen");
  socklen_t len = sizeof addr;
  ::getsockname(m_listen_fd, reinterpret_cast<sockaddr*>(&addr), &len);
  m_port = ntohs(addr.sin_port);
  m_acceptor = std::thread([this] { accept_loop(); });
}

SilentServer::~SilentServer() {
  m_stopping = true;
  ::shutdown(m_listen_fd, SHUT_RDWR);
  ::close(m_listen_fd);
  m_acceptor.join();
  {
    std::lock_guard lock(m_mutex);
    for (int fd : m_client_fds) ::shutdown(fd, SHUT_RDWR);
  }
  for (auto& t : m_readers) t.join();
  for (int fd : m_client_fds) ::close(fd);
}

void SilentServer::accept_loop() {
  while (!m_stopping) {
    const int fd = ::accept(m_listen_fd, nullptr, nullptr);
    if (fd < 0) {
      if (m_stopping) return;
      continue;
    }
    ++m_connections;
    std::lock_guard lock(m_mutex);
    m_client_fds.push_back(fd);
    // Drain the request so the client's send never blocks; answer nothing. The fd is closed by
    // the destructor only, so it is never reused while a reader might still touch it.
    m_readers.emplace_back([fd] {
      char buffer[4096];
      while (::recv(fd, buffer, sizeof buffer, 0) > 0) {
      }
    });
  }
}

}  // namespace regsweep::testing
