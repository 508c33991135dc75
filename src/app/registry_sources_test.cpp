// The checks open_registries makes before anything is contacted: role ARNs, external ids, one
// registry for delete/snapshot, and no shards of a snapshot.
#include "app/registry_sources.hpp"

#include <gtest/gtest.h>

namespace regsweep {
namespace {

const std::string k_role = "arn:aws:iam::111111111111:role/cleanup";

TEST(RegistrySources, RolesAndExternalIdsAreCheckedByTheirFlag) {
  EXPECT_TRUE(check_roles({k_role}, "", "--role-arn", "--external-id").ok());
  EXPECT_TRUE(check_roles({k_role}, "Org+Cleanup=1,.@:/-_", "--role-arn", "--external-id").ok());
  struct Case {
    std::vector<std::string> roles;
    std::string external_id;
    std::string expected;
  };
  const Case cases[] = {
      {{"111111111111"}, "", "--role-arn: \"111111111111\" is not a role ARN"},
      {{"arn:aws:iam::1:role/x\n"}, "", "--role-arn: the value is not a role ARN"},
      {{}, "ext", "--external-id: given without a role to assume; fix: add --role-arn"},
      {{k_role}, "x", "--external-id: not an external id STS accepts"},
      {{k_role}, "has space", "--external-id: not an external id STS accepts"},
      {{k_role}, std::string(1225, 'a'), "--external-id: not an external id STS accepts"},
  };
  for (const auto& c : cases) {
    auto checked = check_roles(c.roles, c.external_id, "--role-arn", "--external-id");
    ASSERT_FALSE(checked.ok()) << c.expected;
    EXPECT_EQ(checked.error().code, ErrorCode::invalid_input);
    EXPECT_NE(checked.error().message.find(c.expected), std::string::npos)
        << checked.error().message;
  }
}

TEST(RegistrySources, OneRegistryCommandsRefuseSeveralPairsUpFront) {
  RegistrySource source;
  EXPECT_TRUE(check_one_registry(source, "delete").ok());
  source.regions = {"eu-west-1"};
  source.role_arns = {k_role};
  EXPECT_TRUE(check_one_registry(source, "delete").ok());
  source.regions.push_back("us-east-1");
  auto two = check_one_registry(source, "snapshot");
  ASSERT_FALSE(two.ok());
  EXPECT_NE(two.error().message.find("snapshot works on one registry at a time, and --region x "
                                     "--role-arn name 2; fix: give one --region"),
            std::string::npos)
      << two.error().message;
}

TEST(RegistrySources, ASnapshotIsNotSharded) {
  RegistrySource source;
  source.snapshot = "demo.json";
  source.shard = ShardSpec{0, 2};
  auto opened = open_registries(source);
  ASSERT_FALSE(opened.ok());
  EXPECT_NE(opened.error().message.find("--shard-count: shards split live registries"),
            std::string::npos);
}

TEST(RegistrySources, AnExternalIdWithoutARoleStopsBeforeAnySession) {
  RegistrySource source;
  source.external_id = "org-cleanup";
  source.endpoint_url = "http://127.0.0.1:9";  // nothing listens: a session would fail differently
  auto opened = open_registries(source);
  ASSERT_FALSE(opened.ok());
  EXPECT_NE(opened.error().message.find("--external-id: given without a role"), std::string::npos)
      << opened.error().message;
}

}  // namespace
}  // namespace regsweep
