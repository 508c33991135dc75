#include "web/request_guard.hpp"

#include <gtest/gtest.h>

namespace regsweep::web {
namespace {

const GuardConfig k_config{8123, std::string(64, 'a')};
const std::string k_token(64, 'a');

GuardedRequest api(std::string_view host = "127.0.0.1:8123") {
  GuardedRequest r;
  r.method = "GET";
  r.path = "/api/overview";
  r.host = host;
  r.token = k_token;
  return r;
}

int status(const GuardedRequest& r) {
  const auto refusal = check_request(k_config, r);
  return refusal ? refusal->status : 200;
}

TEST(RequestGuard, ServesTheApiWithTheTokenOnLoopbackHosts) {
  EXPECT_EQ(status(api()), 200);
  EXPECT_EQ(status(api("localhost:8123")), 200);
  EXPECT_EQ(status(api("LOCALHOST:8123")), 200);
}

TEST(RequestGuard, RefusesForeignHostsAgainstDnsRebinding) {
  EXPECT_EQ(status(api("evil.example:8123")), 403);
  EXPECT_EQ(status(api("127.0.0.1:8124")), 403);  // another port
  EXPECT_EQ(status(api("127.0.0.1")), 403);       // no port
  EXPECT_EQ(status(api("[::1]:8123")), 403);      // not where it listens
  GuardedRequest none = api();
  none.host.reset();
  EXPECT_EQ(status(none), 403);
  GuardedRequest page = api("evil.example:8123");
  page.path = "/";
  page.token.reset();
  EXPECT_EQ(status(page), 403);  // the page too: a rebound name gets nothing
}

TEST(RequestGuard, RefusesAMissingOrWrongToken) {
  GuardedRequest r = api();
  r.token.reset();
  EXPECT_EQ(status(r), 401);
  r.token = std::string(64, 'b');
  EXPECT_EQ(status(r), 401);
  r.token = std::string(63, 'a');  // a prefix
  EXPECT_EQ(status(r), 401);
  r.token = std::string(65, 'a');
  EXPECT_EQ(status(r), 401);
  r.token = "";
  EXPECT_EQ(status(r), 401);
}

TEST(RequestGuard, RefusesOtherOriginsPreflightsAndCrossSiteFetches) {
  GuardedRequest r = api();
  r.origin = "http://evil.example";
  EXPECT_EQ(status(r), 403);
  r.origin = "null";
  EXPECT_EQ(status(r), 403);
  r.origin = "http://127.0.0.1:8124";
  EXPECT_EQ(status(r), 403);
  r.origin = "http://127.0.0.1:8123";
  EXPECT_EQ(status(r), 200);
  r.origin = "http://localhost:8123";
  EXPECT_EQ(status(r), 200);

  GuardedRequest preflight = api();
  preflight.method = "OPTIONS";
  preflight.token.reset();
  EXPECT_EQ(status(preflight), 403);

  GuardedRequest fetched = api();
  fetched.sec_fetch_site = "cross-site";
  EXPECT_EQ(status(fetched), 403);
  fetched.sec_fetch_site = "same-site";  // another port of localhost
  EXPECT_EQ(status(fetched), 403);
  fetched.sec_fetch_site = "same-origin";
  EXPECT_EQ(status(fetched), 200);
}

TEST(RequestGuard, ThePageNeedsNoTokenButOnlyGet) {
  GuardedRequest page;
  page.method = "GET";
  page.path = "/js/main.js";
  page.host = "127.0.0.1:8123";
  EXPECT_EQ(status(page), 200);
  page.method = "POST";
  EXPECT_EQ(status(page), 405);
}

TEST(RequestGuard, TokensAre256RandomBits) {
  const std::string a = make_token(), b = make_token();
  EXPECT_EQ(a.size(), 64u);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace regsweep::web
