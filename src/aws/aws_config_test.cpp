// Shared config/credentials parsing and the region/endpoint resolution table.
#include "aws/aws_config.hpp"

#include <gtest/gtest.h>

#include "aws/endpoint.hpp"

namespace regsweep {
namespace {

TEST(AwsIni, SectionsCommentsAndNestedKeys) {
  const auto ini = parse_aws_ini(
      "# comment\n"
      "[default]\r\n"
      "region = eu-west-1\n"
      "; another comment\n"
      "aws_secret_access_key = abc#notacomment\n"
      "[profile   dev ]\n"
      "role_arn=arn:aws:iam::123456789012:role/x\n"
      "services = local\n"
      "[services local]\n"
      "ecr =\n"
      "  endpoint_url = http://127.0.0.1:5000\n"
      "sts =\n"
      "\tendpoint_url = http://127.0.0.1:6000\n"
      "region = us-east-1\n");
  EXPECT_EQ(ini.at("default").at("region"), "eu-west-1");
  EXPECT_EQ(ini.at("default").at("aws_secret_access_key"), "abc#notacomment");
  EXPECT_EQ(ini.at("profile dev").at("role_arn"), "arn:aws:iam::123456789012:role/x");
  EXPECT_EQ(ini.at("services local").at("ecr.endpoint_url"), "http://127.0.0.1:5000");
  EXPECT_EQ(ini.at("services local").at("sts.endpoint_url"), "http://127.0.0.1:6000");
  EXPECT_EQ(ini.at("services local").at("region"), "us-east-1");
}

AwsConfigFiles files_from(const char* config, const char* credentials) {
  AwsConfigFiles f;
  f.config_path = "config";
  f.credentials_path = "credentials";
  f.config = parse_aws_ini(config);
  f.credentials = parse_aws_ini(credentials);
  return f;
}

TEST(AwsProfileLookup, MergesBothFilesAndPrefersProfileDefault) {
  auto files = files_from(
      "[default]\nregion = eu-west-1\noutput = json\n[profile default]\nregion = eu-central-1\n"
      "[profile dev]\nregion = us-west-2\nservices = s\n[services s]\necr =\n  endpoint_url = "
      "http://localhost:1\n[dev]\nregion = wrong\n",
      "[dev]\naws_access_key_id = AK\n");
  auto def = find_profile(files, "default");
  EXPECT_TRUE(def.exists);
  EXPECT_EQ(def.config_value("region"), "eu-central-1");
  EXPECT_EQ(def.config_value("output"), "json");
  auto dev = find_profile(files, "dev");
  EXPECT_EQ(dev.config_value("region"), "us-west-2");  // [dev] in config is not a profile
  EXPECT_EQ(dev.credentials_value("aws_access_key_id"), "AK");
  EXPECT_EQ(dev.services.at("ecr.endpoint_url"), "http://localhost:1");
  EXPECT_FALSE(find_profile(files, "nope").exists);
}

TEST(AwsProfileLookup, SelectedProfileName) {
  AwsEnvironment env;
  EXPECT_EQ(selected_profile_name("", env), "default");
  env.variables["AWS_DEFAULT_PROFILE"] = "b";
  EXPECT_EQ(selected_profile_name("", env), "b");
  env.variables["AWS_PROFILE"] = "a";
  EXPECT_EQ(selected_profile_name("", env), "a");
  EXPECT_EQ(selected_profile_name("flag", env), "flag");
}

struct RegionCase {
  std::string flag;
  std::map<std::string, std::string> env;
  std::string profile_region;
  std::string expected;  // "" = error
};

TEST(AwsRegion, ResolutionTable) {
  const std::vector<RegionCase> cases = {
      {"eu-west-3", {{"AWS_REGION", "us-east-1"}}, "ap-south-1", "eu-west-3"},
      {"",
       {{"AWS_REGION", "us-east-1"}, {"AWS_DEFAULT_REGION", "us-west-2"}},
       "ap-south-1",
       "us-east-1"},
      {"", {{"AWS_DEFAULT_REGION", "us-west-2"}}, "ap-south-1", "us-west-2"},
      {"", {}, "ap-south-1", "ap-south-1"},
      {"", {}, "", ""},
      {"Not A Region", {}, "", ""},
  };
  for (const auto& c : cases) {
    AwsEnvironment env;
    env.variables = c.env;
    AwsProfile profile;
    profile.name = "default";
    if (!c.profile_region.empty()) profile.config["region"] = c.profile_region;
    auto region = resolve_region(c.flag, env, profile);
    if (c.expected.empty()) {
      ASSERT_FALSE(region.ok()) << c.flag;
      EXPECT_EQ(region.error().code, ErrorCode::invalid_input);
    } else {
      ASSERT_TRUE(region.ok()) << region.error().message;
      EXPECT_EQ(*region, c.expected);
    }
  }
  AwsEnvironment empty;
  AwsProfile p;
  p.name = "dev";
  auto none = resolve_region("", empty, p);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().message,
            "aws: region: none found (looked at --region, AWS_REGION, AWS_DEFAULT_REGION and "
            "profile 'dev'); fix: pass --region, e.g. --region us-east-1");
}

struct EndpointCase {
  std::string flag;
  std::map<std::string, std::string> env;
  IniSection profile_config;
  IniSection services;
  std::string region;
  std::string expected;
};

TEST(AwsEndpoint, ResolutionTable) {
  const std::vector<EndpointCase> cases = {
      {"", {}, {}, {}, "us-east-1", "https://api.ecr.us-east-1.amazonaws.com"},
      {"", {}, {}, {}, "cn-north-1", "https://api.ecr.cn-north-1.amazonaws.com.cn"},
      {"",
       {{"AWS_USE_FIPS_ENDPOINT", "true"}},
       {},
       {},
       "us-gov-west-1",
       "https://ecr-fips.us-gov-west-1.amazonaws.com"},
      {"",
       {},
       {{"use_fips_endpoint", "true"}},
       {},
       "us-east-2",
       "https://ecr-fips.us-east-2.amazonaws.com"},
      {"", {}, {{"endpoint_url", "http://127.0.0.1:4"}}, {}, "us-east-1", "http://127.0.0.1:4"},
      {"",
       {},
       {{"endpoint_url", "http://127.0.0.1:4"}},
       {{"ecr.endpoint_url", "http://127.0.0.1:3"}},
       "us-east-1",
       "http://127.0.0.1:3"},
      {"",
       {{"AWS_ENDPOINT_URL", "http://127.0.0.1:2"}},
       {{"endpoint_url", "http://127.0.0.1:4"}},
       {},
       "us-east-1",
       "http://127.0.0.1:2"},
      {"",
       {{"AWS_ENDPOINT_URL", "http://127.0.0.1:2"}, {"AWS_ENDPOINT_URL_ECR", "http://127.0.0.1:1"}},
       {},
       {},
       "us-east-1",
       "http://127.0.0.1:1"},
      {"https://flag.example:8443",
       {{"AWS_ENDPOINT_URL_ECR", "http://127.0.0.1:1"}},
       {},
       {},
       "us-east-1",
       "https://flag.example:8443"},
      {"",
       {{"AWS_ENDPOINT_URL_ECR", "http://127.0.0.1:1"},
        {"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"}},
       {},
       {},
       "eu-west-1",
       "https://api.ecr.eu-west-1.amazonaws.com"},
  };
  for (const auto& c : cases) {
    AwsEnvironment env;
    env.variables = c.env;
    AwsProfile profile;
    profile.name = "p";
    profile.config = c.profile_config;
    profile.services = c.services;
    auto url = resolve_endpoint_url(ecr_endpoint_names(), c.flag, c.region, env, profile);
    ASSERT_TRUE(url.ok()) << url.error().message;
    EXPECT_EQ(*url, c.expected);
  }
  AwsEnvironment env;
  env.variables["AWS_ENDPOINT_URL_ECR"] = "not a url";
  AwsProfile profile;
  auto bad = resolve_endpoint_url(ecr_endpoint_names(), "", "us-east-1", env, profile);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::invalid_input);
  EXPECT_NE(bad.error().message.find("AWS_ENDPOINT_URL_ECR"), std::string::npos);
}

}  // namespace
}  // namespace regsweep
