// -v/--debug lines: secrets redacted by header name; the proxy libcurl would use is named.
#include "http/http_trace.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace regsweep {
namespace {

TEST(HttpTrace, SecretHeadersAreRedacted) {
  for (const char* name :
       {"Authorization", "authorization", "X-Amz-Security-Token", "Proxy-Authorization", "Cookie",
        "Set-Cookie", "X-Aws-Ec2-Metadata-Token", "x-api-key", "X-Secret-Thing"}) {
    EXPECT_TRUE(is_secret_header(name)) << name;
    EXPECT_EQ(trace_header(name, "SECRET-VALUE"), std::string(name) + ": <redacted>");
  }
  for (const char* name : {"Content-Type", "X-Amz-Target", "X-Amz-Date", "x-amzn-requestid"}) {
    EXPECT_FALSE(is_secret_header(name)) << name;
  }
  EXPECT_EQ(trace_header("X-Amz-Target", "ECR.DescribeImages"), "X-Amz-Target: ECR.DescribeImages");
}

TEST(HttpTrace, LinesGoToTheSinkAtTheirLevelOnly) {
  std::vector<std::string> lines;
  set_http_trace(HttpTraceLevel::calls, [&](std::string_view line) { lines.emplace_back(line); });
  http_trace(HttpTraceLevel::calls, "one");
  http_trace(HttpTraceLevel::headers, "hidden at -v");
  set_http_trace(HttpTraceLevel::headers, [&](std::string_view line) { lines.emplace_back(line); });
  http_trace(HttpTraceLevel::headers, "shown with --debug");
  set_http_trace(HttpTraceLevel::off, {});
  http_trace(HttpTraceLevel::calls, "off");
  EXPECT_EQ(lines, (std::vector<std::string>{"one", "shown with --debug"}));
  EXPECT_EQ(http_trace_level(), HttpTraceLevel::off);
}

TEST(HttpTrace, ProxyAsLibcurlChoosesIt) {
  std::map<std::string, std::string> env;
  const auto getenv = [&](const char* name) -> const char* {
    const auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  };
  const std::string ecr = "https://api.ecr.eu-west-1.amazonaws.com/";
  EXPECT_FALSE(proxy_for_url(ecr, getenv));
  env["HTTPS_PROXY"] = "http://user:pass@proxy.corp:3128";
  auto proxy = proxy_for_url(ecr, getenv);
  ASSERT_TRUE(proxy);
  EXPECT_EQ(proxy->url, "http://proxy.corp:3128");  // never the password
  EXPECT_EQ(proxy->variable, "HTTPS_PROXY");
  env["https_proxy"] = "proxy.lower:8080";
  EXPECT_EQ(proxy_for_url(ecr, getenv)->variable, "https_proxy");
  EXPECT_EQ(proxy_for_url(ecr, getenv)->url, "http://proxy.lower:8080");
  env["NO_PROXY"] = "localhost,.amazonaws.com";
  EXPECT_FALSE(proxy_for_url(ecr, getenv));
  env["NO_PROXY"] = "example.com";
  EXPECT_TRUE(proxy_for_url(ecr, getenv));
  // Plain http uses only the lower-case http_proxy (then all_proxy).
  EXPECT_FALSE(proxy_for_url("http://127.0.0.1:5000/", getenv));
  env["ALL_PROXY"] = "socks5://s:1080";
  EXPECT_EQ(proxy_for_url("http://127.0.0.1:5000/", getenv)->variable, "ALL_PROXY");
}

}  // namespace
}  // namespace regsweep
