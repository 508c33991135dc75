#include "inuse/image_reference.hpp"

#include <gtest/gtest.h>

namespace regsweep {
namespace {

const std::string k_digest = "sha256:" + std::string(64, 'a');
const std::string k_ecr = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

struct Case {
  std::string text;
  bool bare_tags;
  std::string registry, repository, tag, digest, account, region;
  bool explicit_registry;
};

TEST(ImageReference, ParsesLikeDocker) {
  const Case cases[] = {
      {"nginx", false, "docker.io", "library/nginx", "", "", "", "", false},
      {"nginx:1.25", false, "docker.io", "library/nginx", "1.25", "", "", "", false},
      {"team/api:v1", false, "docker.io", "team/api", "v1", "", "", "", false},
      {"docker.io/nginx", false, "docker.io", "library/nginx", "", "", "", "", true},
      {"index.docker.io/library/nginx:x", false, "docker.io", "library/nginx", "x", "", "", "",
       true},
      {"localhost/app", false, "localhost", "app", "", "", "", "", true},
      {"localhost:5000/a/b:c", false, "localhost:5000", "a/b", "c", "", "", "", true},
      {"Quay.IO/org/app@" + k_digest, false, "quay.io", "org/app", "", k_digest, "", "", true},
      {k_ecr + "/team/api:v1", false, k_ecr, "team/api", "v1", "", "123456789012", "eu-west-1",
       true},
      {k_ecr + "/api:v1@" + k_digest, false, k_ecr, "api", "v1", k_digest, "123456789012",
       "eu-west-1", true},
      {"123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/x", false,
       "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn", "x", "", "", "123456789012",
       "cn-north-1", true},
      {"123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/x", false,
       "123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com", "x", "", "", "123456789012",
       "us-gov-west-1", true},
      {"123456789012.dkr-ecr.us-east-1.on.aws/x", false, "123456789012.dkr-ecr.us-east-1.on.aws",
       "x", "", "", "123456789012", "us-east-1", true},
      // Not ECR: wrong account length, wrong suffix.
      {"12345.dkr.ecr.eu-west-1.amazonaws.com/x", false, "12345.dkr.ecr.eu-west-1.amazonaws.com",
       "x", "", "", "", "", true},
      {"docker-pullable://" + k_ecr + "/api@" + k_digest, false, k_ecr, "api", "", k_digest,
       "123456789012", "eu-west-1", true},
      {"docker://nginx:1", false, "docker.io", "library/nginx", "1", "", "", "", false},
      {k_digest, false, "", "", "", k_digest, "", "", false},
      {"SHA256:" + std::string(64, 'A'), false, "", "", "", k_digest, "", "", false},
      {"v1.2", true, "", "", "v1.2", "", "", "", false},
      {"v1.2", false, "docker.io", "library/v1.2", "", "", "", "", false},
      {"app:v1", true, "docker.io", "library/app", "v1", "", "", "", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    auto ref = parse_image_reference(c.text, c.bare_tags);
    ASSERT_TRUE(ref.ok()) << ref.error().message;
    EXPECT_EQ(ref->registry, c.registry);
    EXPECT_EQ(ref->repository, c.repository);
    EXPECT_EQ(ref->tag, c.tag);
    EXPECT_EQ(ref->digest, c.digest);
    EXPECT_EQ(ref->ecr_account, c.account);
    EXPECT_EQ(ref->ecr_region, c.region);
    EXPECT_EQ(ref->explicit_registry, c.explicit_registry);
    auto again = parse_image_reference(to_string(*ref), c.bare_tags);
    ASSERT_TRUE(again.ok()) << to_string(*ref);
    EXPECT_EQ(to_string(*again), to_string(*ref));
    EXPECT_EQ(again->repository, ref->repository);
    EXPECT_EQ(again->explicit_registry, ref->explicit_registry);
  }
}

TEST(ImageReference, RejectsWhatDockerRejects) {
  const std::string bad[] = {
      "",
      "UPPER/case",
      "app:",
      "app:-tag",
      "app@sha256:abc",
      "app@md5:" + std::string(32, 'a'),
      "a//b",
      "/app",
      "app/",
      "app:tag with space",
      "${IMAGE}",
      "app:" + std::string(129, 'x'),
      "team/bad_.name",
      std::string(5000, 'a'),
  };
  for (const auto& text : bad) {
    SCOPED_TRACE(text);
    auto ref = parse_image_reference(text, true);
    ASSERT_FALSE(ref.ok());
    EXPECT_EQ(ref.error().code, ErrorCode::invalid_input);
  }
}

TEST(ImageReference, ErrorMessageNamesTheProblemAndTheFix) {
  auto ref = parse_image_reference("app@sha256:abc");
  ASSERT_FALSE(ref.ok());
  EXPECT_EQ(ref.error().message,
            "image reference 'app@sha256:abc': the digest after '@' is not sha256:<64 hex> or "
            "sha512:<128 hex>; "
            "write [host/]repository[:tag][@sha256:<64 hex>], a tag, or a digest");
}

TEST(ImageReference, EcrHosts) {
  std::string account, region;
  EXPECT_TRUE(parse_ecr_host("123456789012.DKR.ECR.us-east-2.amazonaws.com", account, region));
  EXPECT_EQ(account, "123456789012");
  EXPECT_EQ(region, "us-east-2");
  EXPECT_FALSE(parse_ecr_host("123456789012.dkr.ecr.us-east-2.amazonaws.org", account, region));
  EXPECT_FALSE(
      parse_ecr_host("123456789012.dkr.ecr.us-east-2.amazonaws.com.evil", account, region));
  EXPECT_FALSE(parse_ecr_host("public.ecr.aws", account, region));
  EXPECT_FALSE(parse_ecr_host("12345678901a.dkr.ecr.us-east-2.amazonaws.com", account, region));
}

}  // namespace
}  // namespace regsweep
