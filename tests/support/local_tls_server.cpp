#include "support/local_tls_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <csignal>

#include <stdexcept>

namespace regsweep::testing {
namespace {

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("local TLS server: ") + what);
}

// A self-signed P-256 certificate valid for a day, with `san` as its subjectAltName.
std::pair<EVP_PKEY*, X509*> make_certificate(const std::string& san) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  check(key != nullptr, "key generation");
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("regsweep test"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  for (const auto& [nid, value] : {std::pair<int, std::string>{NID_subject_alt_name, san},
                                   {NID_basic_constraints, "CA:TRUE"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    check(ext != nullptr, "certificate extension");
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
  }
  check(X509_sign(cert, key, EVP_sha256()) > 0, "signing");
  return {key, cert};
}

template <typename Write>
std::string pem_of(Write write) {
  BIO* pem = BIO_new(BIO_s_mem());
  write(pem);
  char* data = nullptr;
  const long size = BIO_get_mem_data(pem, &data);
  std::string out(data, static_cast<std::size_t>(size));
  BIO_free(pem);
  return out;
}

}  // namespace

LocalTlsServer::LocalTlsServer(const std::string& subject_alt_name,
                               bool require_client_certificate) {
  auto [key, cert] = make_certificate(subject_alt_name);
  SSL_CTX* context = SSL_CTX_new(TLS_server_method());
  check(context != nullptr, "SSL_CTX_new");
  check(SSL_CTX_use_certificate(context, cert) == 1 && SSL_CTX_use_PrivateKey(context, key) == 1,
        "loading the certificate");
  m_context = context;
  m_certificate_pem = pem_of([&](BIO* bio) { PEM_write_bio_X509(bio, cert); });
  X509_free(cert);
  EVP_PKEY_free(key);
  if (require_client_certificate) {
    // The client's certificate is its own trust anchor here: only that client gets through.
    auto [client_key, client_cert] = make_certificate("DNS:regsweep-client");
    check(X509_STORE_add_cert(SSL_CTX_get_cert_store(context), client_cert) == 1,
          "trusting the client certificate");
    SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
    m_client_certificate_pem = pem_of([&](BIO* bio) { PEM_write_bio_X509(bio, client_cert); });
    m_client_key_pem = pem_of([&](BIO* bio) {
      PEM_write_bio_PrivateKey(bio, client_key, nullptr, nullptr, 0, nullptr, nullptr);
    });
    X509_free(client_cert);
    EVP_PKEY_free(client_key);
  }

  m_listen_fd = ::socket(AF_INET, SOCK_STREAM, 0);
  check(m_listen_fd >= 0, "socket");
  int one = 1;
  ::setsockopt(m_listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  check(::bind(m_listen_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
            ::listen(m_listen_fd, 16) == 0,
        "bind/listen");
  socklen_t len = sizeof addr;
  ::getsockname(m_listen_fd, reinterpret_cast<sockaddr*>(&addr), &len);
  m_port = ntohs(addr.sin_port);
  m_acceptor = std::thread([this] { accept_loop(); });
}

LocalTlsServer::~LocalTlsServer() {
  m_stopping = true;
  ::shutdown(m_listen_fd, SHUT_RDWR);
  ::close(m_listen_fd);
  m_acceptor.join();
  SSL_CTX_free(static_cast<SSL_CTX*>(m_context));
}

void LocalTlsServer::accept_loop() {
  // OpenSSL writes with write(), which raises SIGPIPE when a client has already hung up (as one
  // that rejects the certificate does). Blocked in this thread, it stays a mere EPIPE.
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
  while (!m_stopping) {
    const int fd = ::accept(m_listen_fd, nullptr, nullptr);
    if (fd < 0) {
      if (m_stopping) return;
      continue;
    }
    ++m_connections;
    serve(fd);
    ::close(fd);
  }
}

void LocalTlsServer::serve(int fd) {
  timeval limit{5, 0};  // a client that stalls cannot hang the test
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  SSL* ssl = SSL_new(static_cast<SSL_CTX*>(m_context));
  SSL_set_fd(ssl, fd);
  if (SSL_accept(ssl) == 1) {
    ++m_handshakes;
    if (X509* peer = SSL_get1_peer_certificate(ssl)) {
      if (SSL_get_verify_result(ssl) == X509_V_OK) ++m_verified_clients;
      X509_free(peer);
    }
    std::string request;
    char buffer[4096];
    // The head, then as much body as Content-Length says (closing with unread data would reset
    // the connection before the client reads the answer).
    std::size_t wanted = std::string::npos;
    while (request.size() < wanted) {
      const int n = SSL_read(ssl, buffer, sizeof buffer);
      if (n <= 0) break;
      request.append(buffer, static_cast<std::size_t>(n));
      const auto head_end = request.find("\r\n\r\n");
      if (head_end == std::string::npos) continue;
      std::size_t length = 0;
      for (const char* name : {"Content-Length: ", "content-length: "})
        if (auto at = request.find(name); at != std::string::npos && at < head_end)
          length = std::stoul(request.substr(at + std::string(name).size()));
      wanted = head_end + 4 + length;
    }
    const std::string answer =
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: "
        "close\r\n\r\n{}";
    SSL_write(ssl, answer.data(), static_cast<int>(answer.size()));
    SSL_shutdown(ssl);
  }
  SSL_free(ssl);
}

}  // namespace regsweep::testing
