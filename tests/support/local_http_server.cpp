#include "support/local_http_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <stdexcept>

namespace regsweep::testing {
namespace {

bool send_all(int fd, const std::string& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

const char* reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

}  // namespace

LocalHttpServer::LocalHttpServer(Handler handler) : m_handler(std::move(handler)) {
  m_listen_fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (m_listen_fd < 0) throw std::runtime_error("socket");
  int one = 1;
  ::setsockopt(m_listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(m_listen_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(m_listen_fd, 64) != 0)
    throw std::runtime_error("bind/listen");
  socklen_t len = sizeof addr;
  ::getsockname(m_listen_fd, reinterpret_cast<sockaddr*>(&addr), &len);
  m_port = ntohs(addr.sin_port);
  m_acceptor = std::thread([this] { accept_loop(); });
}

LocalHttpServer::~LocalHttpServer() {
  m_stopping = true;
  ::shutdown(m_listen_fd, SHUT_RDWR);
  ::close(m_listen_fd);
  m_acceptor.join();
  {
    std::lock_guard lock(m_mutex);
    for (int fd : m_client_fds) ::shutdown(fd, SHUT_RDWR);
  }
  for (auto& t : m_workers) t.join();
}

std::vector<LocalRequest> LocalHttpServer::requests() const {
  std::lock_guard lock(m_mutex);
  return m_requests;
}

void LocalHttpServer::accept_loop() {
  while (!m_stopping) {
    const int fd = ::accept(m_listen_fd, nullptr, nullptr);
    if (fd < 0) {
      if (m_stopping) return;
      continue;
    }
    ++m_connections;
    std::lock_guard lock(m_mutex);
    m_client_fds.push_back(fd);
    m_workers.emplace_back([this, fd] { serve(fd); });
  }
}

void LocalHttpServer::serve(int fd) {
  std::string buffer;
  char chunk[8192];
  while (!m_stopping) {
    std::size_t header_end;
    while ((header_end = buffer.find("\r\n\r\n")) == std::string::npos) {
      const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0 || buffer.size() > 65536) {
        close_client(fd);
        return;
      }
      buffer.append(chunk, static_cast<std::size_t>(n));
      if (buffer[0] == 0x16) {  // a TLS ClientHello: this server speaks plain HTTP only
        close_client(fd);
        return;
      }
    }
    LocalRequest request;
    const std::string head = buffer.substr(0, header_end);
    buffer.erase(0, header_end + 4);
    std::size_t line_end = head.find("\r\n");
    const std::string request_line = head.substr(0, line_end);
    const auto sp1 = request_line.find(' ');
    const auto sp2 = request_line.find(' ', sp1 + 1);
    request.method = request_line.substr(0, sp1);
    request.target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
    while (line_end != std::string::npos) {
      const std::size_t start = line_end + 2;
      line_end = head.find("\r\n", start);
      const std::string line = head.substr(start, line_end - start);
      const auto colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      request.headers[name] = value;
    }
    const std::size_t length =
        request.headers.count("content-length") ? std::stoul(request.headers["content-length"]) : 0;
    while (buffer.size() < length) {
      const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) {
        close_client(fd);
        return;
      }
      buffer.append(chunk, static_cast<std::size_t>(n));
    }
    request.body = buffer.substr(0, length);
    buffer.erase(0, length);
    {
      std::lock_guard lock(m_mutex);
      m_requests.push_back(request);
    }
    const LocalResponse response = m_handler(request);
    if (response.delay_ms > 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(response.delay_ms));
    std::string out =
        "HTTP/1.1 " + std::to_string(response.status) + " " + reason(response.status) + "\r\n";
    for (const auto& [name, value] : response.headers) out += name + ": " + value + "\r\n";
    out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n\r\n";
    if (request.method != "HEAD") out += response.body;
    if (!send_all(fd, out)) break;
  }
  close_client(fd);
}

// Forget the fd before closing it, so the destructor never shuts down a reused descriptor.
void LocalHttpServer::close_client(int fd) {
  std::lock_guard lock(m_mutex);
  std::erase(m_client_fds, fd);
  ::close(fd);
}

}  // namespace regsweep::testing
