// The real curl client against a real local socket: methods, headers, bodies, connection reuse,
// timeouts, size cap, the plain-http rule and error classification.
#include <gtest/gtest.h>

#include <thread>

#include "http/http_client.hpp"
#include "http/url.hpp"
#include "support/local_http_server.hpp"

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
