// The real curl client against a real local socket: methods, headers, bodies, connection reuse,
// timeouts, size cap, the plain-http rule, header checks and error classification.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "http/http_client.hpp"
#include "http/url.hpp"
#include "support/local_http_server.hpp"
#include "support/local_tls_server.hpp"
#include "support/silent_server.hpp"

namespace regsweep {
namespace {

using testing::LocalHttpServer;
using testing::LocalRequest;
using testing::LocalResponse;

LocalResponse echo(const LocalRequest& r) {
  LocalResponse out;
  out.status = r.target == "/missing" ? 404 : 200;
  out.body = r.method + " " + r.target + " " + r.body;
  out.headers = {{"X-Amzn-RequestId", "req-1"}, {"Content-Type", "text/plain"}};
  return out;
}

TEST(CurlClient, SendsMethodHeadersAndBodyAndReadsTheAnswer) {
  LocalHttpServer server(echo);
  auto client = make_curl_client({});
  HttpRequest request{"POST", server.url() + "/", {{"X-Amz-Target", "Svc.Op"}}, R"({"a":1})"};
  auto response = client->send(request);
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, R"(POST / {"a":1})");
  EXPECT_EQ(response->header("x-amzn-requestid"), "req-1");
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].header("x-amz-target"), "Svc.Op");
  EXPECT_EQ(seen[0].header("expect"), "");  // suppressed: never waits for 100-continue
}

TEST(CurlClient, PutGetAndHttpErrorsAreResponses) {
  LocalHttpServer server(echo);
  auto client = make_curl_client({});
  auto put = client->send({"PUT", server.url() + "/latest/api/token", {}, ""});
  ASSERT_TRUE(put.ok());
  EXPECT_EQ(put->body, "PUT /latest/api/token ");
  auto missing = client->send({"GET", server.url() + "/missing", {}, ""});
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->status, 404);
}

TEST(CurlClient, ReusesConnections) {
  LocalHttpServer server(echo);
  auto client = make_curl_client({});
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(client->send({"GET", server.url() + "/x", {}, ""}).ok());
  EXPECT_EQ(server.requests().size(), 5u);
  EXPECT_EQ(server.connections(), 1);
}

TEST(CurlClient, ThreadSafe) {
  LocalHttpServer server(echo);
  auto client = make_curl_client({});
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i)
        if (client->send({"GET", server.url() + "/t", {}, ""}).ok()) ++ok;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 40);
  EXPECT_LE(server.connections(), 4);
}

TEST(CurlClient, TimeoutIsTransient) {
  LocalHttpServer server([](const LocalRequest&) {
    LocalResponse r;
    r.delay_ms = 1500;
    return r;
  });
  auto client = make_curl_client({});
  HttpRequest request{"GET", server.url() + "/slow", {}, ""};
  request.timeout = std::chrono::milliseconds(200);
  auto response = client->send(request);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::transient);
  EXPECT_EQ(response.error().service_code, "timeout");
}

TEST(CurlClient, ConnectionRefusedIsTransient) {
  int port = 0;
  {
    LocalHttpServer server(echo);
    port = server.port();
  }
  auto client = make_curl_client({});
  auto response = client->send({"GET", "http://127.0.0.1:" + std::to_string(port) + "/", {}, ""});
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::transient);
}

TEST(CurlClient, ResponseSizeLimit) {
  LocalHttpServer server([](const LocalRequest&) {
    LocalResponse r;
    r.body = std::string(5000, 'x');
    return r;
  });
  HttpOptions options;
  options.max_response_bytes = 1000;
  auto response = make_curl_client(options)->send({"GET", server.url() + "/", {}, ""});
  ASSERT_FALSE(response.ok());
  EXPECT_NE(response.error().message.find("larger than 1000 bytes"), std::string::npos);
}

TEST(CurlClient, PlainHttpOnlyForLoopbackUnlessAllowed) {
  auto client = make_curl_client({});
  auto refused = client->send({"GET", "http://example.invalid/", {}, ""});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::invalid_input);
  EXPECT_NE(refused.error().message.find("plain http"), std::string::npos);
  HttpOptions allow;
  allow.allow_plain_http = true;
  allow.connect_timeout = std::chrono::milliseconds(500);
  auto attempted = make_curl_client(allow)->send({"GET", "http://example.invalid/", {}, ""});
  ASSERT_FALSE(attempted.ok());
  EXPECT_EQ(attempted.error().code, ErrorCode::transient);  // DNS failure, not the policy
}

TEST(CurlClient, MalformedUrlIsInvalidInputAndNeverEchoesUserinfo) {
  auto client = make_curl_client({});
  auto bad = client->send({"GET", "ftp://user:hunter2@example.com/", {}, ""});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(bad.error().message.find("hunter2"), std::string::npos);
  EXPECT_FALSE(client->send({"GET", "no scheme", {}, ""}).ok());
}

TEST(CurlClient, TlsVerificationIsOn) {
  // A plain-http server spoken to over https fails the handshake: an error, never a silent
  // fallback.
  LocalHttpServer server(echo);
  HttpOptions options;
  options.request_timeout = std::chrono::milliseconds(2000);
  auto response = make_curl_client(options)->send(
      {"GET", "https://127.0.0.1:" + std::to_string(server.port()) + "/", {}, ""});
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::transient);
}

TEST(CurlClient, MissingCaBundleIsInvalidInput) {
  LocalHttpServer server(echo);
  HttpOptions options;
  options.ca_bundle = "/nonexistent/ca-bundle.pem";
  auto response = make_curl_client(options)->send(
      {"GET", "https://127.0.0.1:" + std::to_string(server.port()) + "/", {}, ""});
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::invalid_input) << response.error().message;
}

TEST(CurlClient, ReadTimeoutFailsASilentServer) {
  testing::SilentServer server;  // accepts, reads the request, never answers
  HttpOptions options;
  options.read_timeout = std::chrono::milliseconds(200);
  options.request_timeout = std::chrono::milliseconds(120'000);  // not what stops it
  auto response =
      make_curl_client(options)->send({"POST", server.url() + "/", {{"X-A", "b"}}, "{}"});
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::transient);
  EXPECT_EQ(response.error().service_code, "timeout");
  EXPECT_NE(response.error().message.find("timed out: nothing received for 0.2 s"),
            std::string::npos)
      << response.error().message;
  EXPECT_EQ(server.connections(), 1);
}

// Answers one request slowly, a byte at a time: the whole answer takes far longer than the read
// timeout, but bytes keep arriving, so it must succeed.
class TrickleServer {
 public:
  TrickleServer() {
    m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ::listen(m_fd, 4);
    socklen_t len = sizeof addr;
    ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&addr), &len);
    m_port = ntohs(addr.sin_port);
    m_thread = std::thread([this] {
      const int client = ::accept(m_fd, nullptr, nullptr);
      if (client < 0) return;
      std::string request;
      char buffer[1024];
      while (request.find("\r\n\r\n") == std::string::npos) {
        const ssize_t n = ::recv(client, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        request.append(buffer, static_cast<std::size_t>(n));
      }
      const std::string answer = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789";
      for (char c : answer) {
        ::send(client, &c, 1, MSG_NOSIGNAL);
        if (c >= '0' && c <= '9') std::this_thread::sleep_for(std::chrono::milliseconds(60));
      }
      ::close(client);
    });
  }
  ~TrickleServer() {
    m_thread.join();
    ::close(m_fd);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port) + "/"; }

 private:
  int m_fd = -1;
  int m_port = 0;
  std::thread m_thread;
};

TEST(CurlClient, ReadTimeoutCountsSilenceNotTheWholeAnswer) {
  TrickleServer server;  // 10 body bytes 60 ms apart: 600 ms in all, never 400 ms silent
  HttpOptions options;
  options.read_timeout = std::chrono::milliseconds(400);
  auto response = make_curl_client(options)->send({"GET", server.url(), {}, ""});
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->body, "0123456789");
}

TEST(CurlClient, HeaderValuesWithControlCharactersAreRefusedBeforeSending) {
  LocalHttpServer server(echo);
  auto client = make_curl_client({});
  for (const std::string& value :
       std::vector<std::string>{"tok\r\nX-Injected: yes", "tok\nX-Injected: yes", "tok\rX", "a\tb",
                                "del\x7f", std::string("nul\0x", 5), "esc\x1b[31m"}) {
    HttpRequest request{"GET", server.url() + "/", {{"X-Amz-Security-Token", value}}, ""};
    auto response = client->send(request);
    ASSERT_FALSE(response.ok());
    EXPECT_EQ(response.error().code, ErrorCode::invalid_input);
    EXPECT_FALSE(response.error().retryable());
    EXPECT_NE(response.error().message.find("X-Amz-Security-Token"), std::string::npos);
    EXPECT_NE(response.error().message.find("control character"), std::string::npos);
    EXPECT_EQ(response.error().message.find("Injected"), std::string::npos);  // never the value
  }
  // A bad header name is refused too.
  for (const std::string name : {"X-A\r\nX-Injected", "X-A: b", "", "X A"}) {
    auto response = client->send({"GET", server.url() + "/", {{name, "v"}}, ""});
    ASSERT_FALSE(response.ok()) << name;
    EXPECT_EQ(response.error().code, ErrorCode::invalid_input);
  }
  // The user agent goes through the same check.
  HttpOptions options;
  options.user_agent = "regsweep/1\r\nX-Injected: yes";
  auto response = make_curl_client(options)->send({"GET", server.url() + "/", {}, ""});
  ASSERT_FALSE(response.ok());
  EXPECT_NE(response.error().message.find("User-Agent"), std::string::npos);
  // Nothing reached the server, not even a connection.
  EXPECT_EQ(server.requests().size(), 0u);
  EXPECT_EQ(server.connections(), 0);
  // Printable values, spaces included, are fine.
  auto fine = client->send({"GET", server.url() + "/", {{"X-A", "a b=c;d"}}, ""});
  ASSERT_TRUE(fine.ok()) << fine.error().message;
  EXPECT_EQ(server.requests().at(0).header("x-a"), "a b=c;d");
}

TEST(CurlClient, TlsVerificationFailureIsNotRetryableAndNamesTheFix) {
  testing::LocalTlsServer server;  // a self-signed certificate nobody trusts
  HttpOptions options;
  options.ca_bundle_hint = "set THE_HINT";
  auto response = make_curl_client(options)->send({"GET", server.url() + "/", {}, ""});
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::unauthorized) << response.error().message;
  EXPECT_EQ(response.error().service_code, "tls_verification");
  EXPECT_FALSE(response.error().retryable());
  EXPECT_NE(response.error().message.find("https://127.0.0.1:" + std::to_string(server.port())),
            std::string::npos)
      << response.error().message;
  EXPECT_NE(response.error().message.find("set THE_HINT"), std::string::npos);
  EXPECT_EQ(server.handshakes(), 0);
}

TEST(CurlClient, TlsHostNameMismatchIsAVerificationFailureToo) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("regsweep-tls-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  // The same server, trusted: the request goes through (so the failures are the verification).
  testing::LocalTlsServer good;
  const auto good_ca = (dir / "good.pem").string();
  std::ofstream(good_ca) << good.certificate_pem();
  HttpOptions options;
  options.ca_bundle = good_ca;
  auto trusted = make_curl_client(options)->send({"GET", good.url() + "/", {}, ""});
  ASSERT_TRUE(trusted.ok()) << trusted.error().message;
  EXPECT_EQ(trusted->body, "{}");
  // A trusted certificate for another name.
  testing::LocalTlsServer other("DNS:ecr.example.com");
  const auto other_ca = (dir / "other.pem").string();
  std::ofstream(other_ca) << other.certificate_pem();
  options.ca_bundle = other_ca;
  auto mismatch = make_curl_client(options)->send({"GET", other.url() + "/", {}, ""});
  std::filesystem::remove_all(dir);
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.error().service_code, "tls_verification") << mismatch.error().message;
  EXPECT_FALSE(mismatch.error().retryable());
}

TEST(Url, ParseAndLoopback) {
  auto u = parse_url("https://API.ecr.us-east-1.amazonaws.com");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host, "api.ecr.us-east-1.amazonaws.com");
  EXPECT_EQ(u->path, "/");
  EXPECT_EQ(u->host_header(), "api.ecr.us-east-1.amazonaws.com");
  auto v6 = parse_url("http://[::1]:8080/x?y=1");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->host_header(), "[::1]:8080");
  EXPECT_EQ(v6->query, "y=1");
  EXPECT_TRUE(is_loopback_host("127.0.0.1"));
  EXPECT_TRUE(is_loopback_host("127.1.2.3"));
  EXPECT_TRUE(is_loopback_host("localhost"));
  EXPECT_TRUE(is_loopback_host("::1"));
  EXPECT_TRUE(is_loopback_host("[::1]"));
  EXPECT_FALSE(is_loopback_host("128.0.0.1"));
  EXPECT_FALSE(is_loopback_host("127.0.0.1.evil.com"));
  EXPECT_FALSE(is_loopback_host("169.254.169.254"));
  EXPECT_FALSE(parse_url("http://host:99999/").ok());
  EXPECT_EQ(redact_url("https://u:p@h:1/p?token=s#f"), "https://h:1/p");
}

}  // namespace
}  // namespace regsweep
