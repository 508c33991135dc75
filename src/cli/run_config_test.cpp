#include "cli/run_config.hpp"

#include <gtest/gtest.h>

#include <map>

namespace regsweep::cli {
namespace {

const char* k_policy =
    R"({"rules":[{"rulePriority":1,"description":"untagged","selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}]})";

Result<std::string> fake_read(const std::string& path) {
  static const std::map<std::string, std::string> files = {
      {"/etc/regsweep/policies/standard.json", k_policy},
      {"/etc/regsweep/policies/broken.json", R"({"rules":[{"rulePriority":0}]})"},
  };
  const auto it = files.find(path);
  if (it == files.end()) return make_error(ErrorCode::not_found, "no such file");
  return it->second;
}

TEST(RunConfig, ParsesTargetsPoliciesAndSettings) {
  const char* yaml = R"(version: 1
settings:
  concurrency: 8
  output: json
  journal: /var/lib/regsweep/journal.jsonl
policies:
  standard:
    file: policies/standard.json
targets:
  - name: prod
    accounts: [arn:aws:iam::111111111111:role/regsweep, arn:aws:iam::222222222222:role/regsweep]
    regions: [eu-west-1, us-east-1]
    repositories: ["app-*"]
    exclude: [app-legacy]
    policy: standard
    mode: apply
  - name: install-everywhere
    policy:
      inline: '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":100},"action":{"type":"expire"}}]}'
    mode: install
)";
  auto config = parse_run_config(yaml, "/etc/regsweep/regsweep.yaml", fake_read);
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->settings.concurrency, 8);
  EXPECT_EQ(config->settings.output, "json");
  ASSERT_EQ(config->targets.size(), 2u);
  const RunTarget& prod = config->targets[0];
  EXPECT_EQ(prod.role_arns.size(), 2u);
  EXPECT_EQ(prod.regions, (std::vector<std::string>{"eu-west-1", "us-east-1"}));
  EXPECT_EQ(prod.exclude, std::vector<std::string>{"app-legacy"});
  EXPECT_EQ(prod.policy_text, k_policy);
  EXPECT_EQ(prod.policy.rules.size(), 1u);
  EXPECT_EQ(prod.mode, TargetMode::apply);
  EXPECT_EQ(config->targets[1].mode, TargetMode::install);
  EXPECT_EQ(config->targets[1].repositories, std::vector<std::string>{"*"});
}

TEST(RunConfig, EveryProblemIsReportedWithLineColumnAndFix) {
  const char* yaml = R"(settings:
  concurency: 8
targets:
  - name: a
    policy: nope
    mode: aply
  - name: b
    accounts: [111111111111]
    policy: {file: policies/broken.json}
    mode: install
)";
  auto config = parse_run_config(yaml, "/etc/regsweep/regsweep.yaml", fake_read);
  ASSERT_FALSE(config.ok());
  const std::string& m = config.error().message;
  EXPECT_NE(
      m.find("/etc/regsweep/regsweep.yaml:2:3: settings.concurency: unknown key \"concurency\""),
      std::string::npos)
      << m;
  EXPECT_NE(m.find("regsweep.yaml:5:13: targets[0].policy: no policy named \"nope\""),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("regsweep.yaml:6:11: targets[0].mode: \"aply\" is not one of apply, install"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("targets[1].accounts[0]: \"111111111111\" is not a role ARN"), std::string::npos)
      << m;
  EXPECT_NE(m.find("/etc/regsweep/policies/broken.json:1:27: rules[0].rulePriority"),
            std::string::npos)
      << m;
}

TEST(RunConfig, RejectsBadYamlAndMissingTargets) {
  auto bad = parse_run_config("targets: [", "c.yaml", fake_read);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("c.yaml:"), std::string::npos);
  EXPECT_NE(bad.error().message.find("not valid YAML"), std::string::npos);
  auto empty = parse_run_config("settings: {}\n", "c.yaml", fake_read);
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().message.find("targets: missing or empty"), std::string::npos)
      << empty.error().message;
}

TEST(RunConfig, MissingPolicyFileNamesThePath) {
  auto config = parse_run_config("targets:\n  - policy: {file: gone.json}\n    mode: apply\n",
                                 "/x/c.yaml", fake_read);
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find(
                "/x/c.yaml:2:20: targets[0].policy.file: cannot read /x/gone.json"),
            std::string::npos)
      << config.error().message;
}

}  // namespace
}  // namespace regsweep::cli
