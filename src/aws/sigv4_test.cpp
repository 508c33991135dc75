// SigV4 against the official AWS test suite (aws-sig-v4-test-suite, credentials AKIDEXAMPLE,
// 2015-08-30 12:36:00Z, us-east-1, service "service") and against docs/research/ecr-api.md §4.1's
// signed DescribeImages.
#include "aws/sigv4.hpp"

#include <gtest/gtest.h>

namespace regsweep {
namespace {

AwsCredentials suite_credentials(std::string token = {}) {
  AwsCredentials c;
  c.access_key_id = "AKIDEXAMPLE";
  c.secret_access_key = Secret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  c.session_token = Secret(std::move(token));
  return c;
}

EpochMillis at(const char* iso) {
  return *parse_timestamp(iso);
}

const SigningScope k_suite_scope{"us-east-1", "service"};
const char* k_suite_time = "2015-08-30T12:36:00Z";

std::string signature_of(HttpRequest request, const AwsCredentials& creds = suite_credentials()) {
  auto trace = sign_request(request, creds, k_suite_scope, at(k_suite_time));
  EXPECT_TRUE(trace.ok());
  return trace ? trace->signature : "";
}

TEST(SigV4, GetVanilla) {
  HttpRequest r{"GET", "https://example.amazonaws.com/", {}, ""};
  auto trace = sign_request(r, suite_credentials(), k_suite_scope, at(k_suite_time));
  ASSERT_TRUE(trace.ok());
  EXPECT_EQ(trace->canonical_request,
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(trace->authorization,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=host;x-amz-date, "
            "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  // The request now carries exactly what was signed.
  EXPECT_EQ(r.headers.size(), 3u);
}

TEST(SigV4, PostVanilla) {
  EXPECT_EQ(signature_of({"POST", "https://example.amazonaws.com/", {}, ""}),
            "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
}

TEST(SigV4, PostVanillaQuery) {
  EXPECT_EQ(signature_of({"POST", "https://example.amazonaws.com/?Param1=value1", {}, ""}),
            "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11");
}

TEST(SigV4, PostXWwwFormUrlencoded) {
  HttpRequest r{"POST",
                "https://example.amazonaws.com/",
                {{"Content-Type", "application/x-www-form-urlencoded"}},
                "Param1=value1"};
  auto trace = sign_request(r, suite_credentials(), k_suite_scope, at(k_suite_time));
  ASSERT_TRUE(trace.ok());
  EXPECT_EQ(trace->signed_headers, "content-type;host;x-amz-date");
  EXPECT_EQ(trace->signature, "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
}

TEST(SigV4, GetHeaderValueTrim) {
  HttpRequest r{"GET",
                "https://example.amazonaws.com/",
                {{"My-Header1", " value1"}, {"My-Header2", " \"a   b   c\""}},
                ""};
  auto trace = sign_request(r, suite_credentials(), k_suite_scope, at(k_suite_time));
  ASSERT_TRUE(trace.ok());
  EXPECT_EQ(trace->signed_headers, "host;my-header1;my-header2;x-amz-date");
  EXPECT_EQ(trace->signature, "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736");
}

TEST(SigV4, HeaderKeyCaseAndValueCase) {
  EXPECT_EQ(
      signature_of({"POST", "https://example.amazonaws.com/", {{"MY-HEADER1", "value1"}}, ""}),
      "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c");
  EXPECT_EQ(
      signature_of({"POST", "https://example.amazonaws.com/", {{"My-Header1", "VALUE1"}}, ""}),
      "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d");
}

TEST(SigV4, PostStsHeaderBeforeSignsTheSessionToken) {
  const std::string token =
      "AQoDYXdzEPT//////////"
      "wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwth"
      "Ax7mSEI/"
      "qkPpKPi/"
      "kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQc"
      "HNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+"
      "scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJab"
      "IQwj2ICCR/oLxBA==";
  HttpRequest r{"POST", "https://example.amazonaws.com/", {}, ""};
  auto trace = sign_request(r, suite_credentials(token), k_suite_scope, at(k_suite_time));
  ASSERT_TRUE(trace.ok());
  EXPECT_EQ(trace->signed_headers, "host;x-amz-date;x-amz-security-token");
  EXPECT_EQ(trace->signature, "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead");
  EXPECT_EQ(r.headers.size(), 4u);
}

TEST(SigV4, UnsignedHeadersStayOut) {
  HttpRequest r{"GET",
                "https://example.amazonaws.com/",
                {{"User-Agent", "regsweep/1"}, {"Content-Length", "0"}, {"Expect", ""}},
                ""};
  auto trace = sign_request(r, suite_credentials(), k_suite_scope, at(k_suite_time));
  ASSERT_TRUE(trace.ok());
  EXPECT_EQ(trace->signature, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

// docs/research/ecr-api.md §4.1: verified there with botocore's SigV4Auth and an independent
// implementation.
TEST(SigV4, EcrDescribeImagesExample) {
  AwsCredentials creds;
  creds.access_key_id = "AKIAIOSFODNN7EXAMPLE";
  creds.secret_access_key = Secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
  creds.session_token = Secret("IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN");
  HttpRequest r{"POST",
                "https://api.ecr.us-east-1.amazonaws.com",
                {{"Content-Type", "application/x-amz-json-1.1"},
                 {"X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921.DescribeImages"}},
                R"({"repositoryName":"team/app","filter":{"tagStatus":"TAGGED"},"maxResults":2})"};
  ASSERT_EQ(r.body.size(), 76u);
  auto trace = sign_request(r, creds, {"us-east-1", "ecr"}, at("2025-01-15T12:00:00Z"));
  ASSERT_TRUE(trace.ok());
  EXPECT_EQ(trace->canonical_request,
            "POST\n/\n\n"
            "content-type:application/x-amz-json-1.1\n"
            "host:api.ecr.us-east-1.amazonaws.com\n"
            "x-amz-date:20250115T120000Z\n"
            "x-amz-security-token:IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN\n"
            "x-amz-target:AmazonEC2ContainerRegistry_V20150921.DescribeImages\n\n"
            "content-type;host;x-amz-date;x-amz-security-token;x-amz-target\n"
            "c1b912980358621c6b1b921952c83c2b3b667faf696ffe117202bc994919df8e");
  EXPECT_EQ(trace->string_to_sign,
            "AWS4-HMAC-SHA256\n20250115T120000Z\n20250115/us-east-1/ecr/aws4_request\n"
            "7121762b1df2bf2ff23f92e98b2f659f270daf4b7fc46094de7af9dafa1b9912");
  EXPECT_EQ(trace->authorization,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250115/us-east-1/ecr/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, "
            "Signature=543cfcd777e6d76a1d27b41f066d9e5449dc658d82146db923c5921f51b4d98f");
}

TEST(SigV4, HostIncludesNonDefaultPort) {
  HttpRequest r{"POST", "http://127.0.0.1:5000/", {}, "{}"};
  auto trace = sign_request(r, suite_credentials(), {"us-east-1", "ecr"}, at(k_suite_time));
  ASSERT_TRUE(trace.ok());
  EXPECT_NE(trace->canonical_request.find("\nhost:127.0.0.1:5000\n"), std::string::npos);
  HttpRequest s{"POST", "https://example.com:443/", {}, "{}"};
  trace = sign_request(s, suite_credentials(), {"us-east-1", "ecr"}, at(k_suite_time));
  ASSERT_TRUE(trace.ok());
  EXPECT_NE(trace->canonical_request.find("\nhost:example.com\n"), std::string::npos);
}

TEST(SigV4, Helpers) {
  EXPECT_EQ(amz_date(at("2026-01-02T03:04:05.678Z")), "20260102T030405Z");
  EXPECT_EQ(aws_uri_encode("a b/c~d_e.f-g*h+", false), "a%20b%2Fc~d_e.f-g%2Ah%2B");
  EXPECT_EQ(aws_uri_encode("/videos/my file.mp4", true), "/videos/my%20file.mp4");
  EXPECT_EQ(url_decode("a%2Fb%zz%4"), "a/b%zz%4");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(SigV4, MalformedUrlIsInvalidInput) {
  HttpRequest r{"GET", "example.com/no-scheme", {}, ""};
  auto trace = sign_request(r, suite_credentials(), k_suite_scope, at(k_suite_time));
  ASSERT_FALSE(trace.ok());
  EXPECT_EQ(trace.error().code, ErrorCode::invalid_input);
}

}  // namespace
}  // namespace regsweep
