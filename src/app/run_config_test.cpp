#include "app/run_config.hpp"

#include <gtest/gtest.h>

#include <map>

namespace regsweep {
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

TEST(RunConfig, ProtectionsFromSettingsWithEachTargetsKeysOverThem) {
  const char* yaml = R"(settings:
  protections:
    keep_files: [keep.txt]
    min_age: 36h
    max_delete_percent: 50
targets:
  - name: defaults
    policy: {file: policies/standard.json}
    mode: apply
  - name: own
    policy: {file: policies/standard.json}
    mode: apply
    protections:
      in_use: [/var/run/inuse.json, scans/k8s-inuse.json]
      kubernetes_json: k8s.json
      keep_files: []
      max_delete: 200
      allow_empty: true
      kubeconfig: [kube/prod.yaml]
      context: prod
      in_cluster: true
  - name: installer
    policy: {file: policies/standard.json}
    mode: install
)";
  auto config = parse_run_config(yaml, "/etc/regsweep/regsweep.yaml", fake_read);
  ASSERT_TRUE(config.ok()) << config.error().message;
  const ProtectionInputs& defaults = config->targets[0].protections;
  EXPECT_EQ(defaults.keep_files, std::vector<std::string>{"/etc/regsweep/keep.txt"});
  EXPECT_EQ(defaults.min_age, 36 * 3'600'000);
  EXPECT_EQ(defaults.max_delete_percent, 50.0);
  EXPECT_EQ(defaults.max_delete, std::nullopt);
  EXPECT_FALSE(defaults.allow_empty);
  const ProtectionInputs& own = config->targets[1].protections;
  EXPECT_EQ(own.in_use_files, (std::vector<std::string>{"/var/run/inuse.json",
                                                        "/etc/regsweep/scans/k8s-inuse.json"}));
  EXPECT_EQ(own.kubernetes_json, std::vector<std::string>{"/etc/regsweep/k8s.json"});
  EXPECT_TRUE(own.keep_files.empty());     // the target's empty list replaces the settings' list
  EXPECT_EQ(own.min_age, 36 * 3'600'000);  // not given by the target: the settings' value
  EXPECT_EQ(own.max_delete, 200u);
  EXPECT_EQ(own.max_delete_percent, 50.0);
  EXPECT_TRUE(own.allow_empty);
  EXPECT_EQ(own.kubeconfigs, std::vector<std::string>{"/etc/regsweep/kube/prod.yaml"});
  EXPECT_EQ(own.kube_context, "prod");
  EXPECT_TRUE(own.in_cluster);
  EXPECT_FALSE(defaults.in_cluster);
}

TEST(RunConfig, BadProtectionsAreReportedWithTheirPlace) {
  const char* yaml = R"(targets:
  - name: a
    policy: {file: policies/standard.json}
    mode: apply
    protections:
      min_age: soon
      max_delete: -3
      max_delete_percent: 150
      allow_empty: maybe
      in_cluster: sometimes
      keep: [x]
  - name: b
    policy: {file: policies/standard.json}
    mode: install
    protections: {min_age: 1h}
)";
  auto config = parse_run_config(yaml, "r.yaml", fake_read);
  ASSERT_FALSE(config.ok());
  const std::string& message = config.error().message;
  EXPECT_NE(message.find("r.yaml:6:16: targets[0].protections.min_age: \"soon\" is not a "
                         "duration; write e.g. 1h"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("r.yaml:7:19: targets[0].protections.max_delete: must be a whole number"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("targets[0].protections.max_delete_percent: must be a number from 0 to "
                         "100"),
            std::string::npos);
  EXPECT_NE(message.find("targets[0].protections.allow_empty: must be true or false"),
            std::string::npos);
  EXPECT_NE(message.find("targets[0].protections.in_cluster: must be true or false"),
            std::string::npos);
  EXPECT_NE(message.find("targets[0].protections.keep: unknown key \"keep\"; allowed here: "
                         "in_use, keep_files"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("r.yaml:15:18: targets[1].protections: an install target deletes "
                         "nothing"),
            std::string::npos)
      << message;
}

// Issue 11: `exclude: []` then `exclude: [team/app]` cleaned the excluded repository (the first
// key won); `mode: install` then `mode: apply` installed. A duplicate key is an error, anywhere.
TEST(RunConfig, DuplicateKeysAreRefusedWithTheirLine) {
  const char* yaml = R"(targets:
  - name: a
    policy: {file: policies/standard.json}
    exclude: []
    exclude: [team/app]
    mode: install
    mode: apply
settings:
  concurrency: 2
settings:
  concurrency: 4
)";
  auto config = parse_run_config(yaml, "r.yaml", fake_read);
  ASSERT_FALSE(config.ok());
  const std::string& message = config.error().message;
  EXPECT_NE(message.find("r.yaml:5:5: targets[0].exclude: duplicate key \"exclude\" (first at line "
                         "4); keep one of them"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("r.yaml:7:5: targets[0].mode: duplicate key \"mode\" (first at line 6)"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("r.yaml:10:1: settings: duplicate key \"settings\""), std::string::npos)
      << message;
}

// Issue 11: `.nan` passed every range check (NaN compares false), switching a limit off.
TEST(RunConfig, NotANumberAndInfinityAreRefused) {
  const char* yaml = R"(settings:
  price_per_gb_month: .nan
  protections:
    max_delete_percent: .nan
targets:
  - name: a
    policy: {file: policies/standard.json}
    mode: apply
    protections: {max_delete_percent: .inf}
)";
  auto config = parse_run_config(yaml, "r.yaml", fake_read);
  ASSERT_FALSE(config.ok());
  const std::string& message = config.error().message;
  EXPECT_NE(message.find("r.yaml:2:23: settings.price_per_gb_month: must be a number >= 0"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("r.yaml:4:25: settings.protections.max_delete_percent: must be a number "
                         "from 0 to 100"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("targets[0].protections.max_delete_percent: must be a number from 0 to "
                         "100"),
            std::string::npos)
      << message;
}

TEST(RunConfig, AwsTimeoutsInSecondsFromSettings) {
  const char* yaml = R"(settings:
  connect_timeout: 0.5
  read_timeout: 0
targets:
  - name: t
    policy: {file: policies/standard.json}
    mode: apply
)";
  auto config = parse_run_config(yaml, "/etc/regsweep/regsweep.yaml", fake_read);
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->settings.timeouts.connect, std::chrono::milliseconds(500));
  EXPECT_EQ(config->settings.timeouts.read, std::chrono::milliseconds(0));  // 0: no timeout
  auto unset = parse_run_config(
      "targets: [{name: t, policy: {file: policies/standard.json}, "
      "mode: apply}]",
      "/etc/regsweep/regsweep.yaml", fake_read);
  ASSERT_TRUE(unset.ok()) << unset.error().message;
  EXPECT_FALSE(unset->settings.timeouts.connect.has_value());
  EXPECT_FALSE(unset->settings.timeouts.read.has_value());
}

TEST(RunConfig, BadAwsTimeoutsAreReportedWithTheirPlace) {
  for (const std::string bad :
       {"-1", ".nan", ".inf", "-.inf", "ten", "10s", "1e999", "[1]", "100000"}) {
    const std::string yaml = "settings:\n  connect_timeout: 1\n  read_timeout: " + bad +
                             "\ntargets:\n  - name: t\n    policy: {file: "
                             "policies/standard.json}\n    mode: apply\n";
    auto config = parse_run_config(yaml, "/etc/regsweep/regsweep.yaml", fake_read);
    ASSERT_FALSE(config.ok()) << bad;
    EXPECT_EQ(config.error().code, ErrorCode::invalid_input);
    EXPECT_NE(
        config.error().message.find("/etc/regsweep/regsweep.yaml:3:17: settings.read_timeout: "),
        std::string::npos)
        << bad << ": " << config.error().message;
  }
  auto config = parse_run_config(
      "settings:\n  connect_timeout: -0.5\ntargets: [{name: t, policy: {file: "
      "policies/standard.json}, mode: apply}]\n",
      "/etc/regsweep/regsweep.yaml", fake_read);
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("regsweep.yaml:2:20: settings.connect_timeout: \"-0.5\" is "
                                        "not a number of seconds from 0 to 86400"),
            std::string::npos)
      << config.error().message;
}

TEST(RunConfig, MaxRequestsPerSecondFromSettings) {
  auto config = parse_run_config(
      "settings:\n  max_requests_per_second: 2.5\ntargets: [{name: t, policy: {file: "
      "policies/standard.json}, mode: apply}]\n",
      "/etc/regsweep/regsweep.yaml", fake_read);
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->settings.timeouts.max_requests_per_second, 2.5);
  // The flag wins over the config, and what is unset on the command line stays.
  AwsTimeouts flags;
  flags.max_requests_per_second = 7;
  config->settings.timeouts.override_with(flags);
  EXPECT_EQ(config->settings.timeouts.max_requests_per_second, 7);
  config->settings.timeouts.override_with(AwsTimeouts{});
  EXPECT_EQ(config->settings.timeouts.max_requests_per_second, 7);
}

TEST(RunConfig, BadMaxRequestsPerSecondIsReportedWithItsPlace) {
  for (const std::string bad : {"0", "-1", ".nan", ".inf", "1e3", "5/s", "[5]", "fast"}) {
    const std::string yaml =
        "settings:\n  concurrency: 4\n  max_requests_per_second: " + bad +
        "\n  price_per_gb_month: -1\ntargets:\n  - name: t\n    policy: {file: "
        "policies/standard.json}\n    mode: apply\n";
    auto config = parse_run_config(yaml, "/etc/regsweep/regsweep.yaml", fake_read);
    ASSERT_FALSE(config.ok()) << bad;
    EXPECT_EQ(config.error().code, ErrorCode::invalid_input);
    const std::string& message = config.error().message;
    EXPECT_NE(message.find("/etc/regsweep/regsweep.yaml:3:28: settings.max_requests_per_second: "),
              std::string::npos)
        << bad << ": " << message;
    // The rest of the settings are still checked (every error at once).
    EXPECT_NE(message.find("settings.price_per_gb_month"), std::string::npos)
        << bad << ": " << message;
  }
}

}  // namespace
}  // namespace regsweep

namespace regsweep {
namespace {

TEST(RunConfig, ExternalIdPerTargetNeedsAccountsAndAValidValue) {
  const char* yaml = R"(policies:
  standard: {file: policies/standard.json}
targets:
  - name: vendor
    accounts: [arn:aws:iam::111111111111:role/regsweep]
    external_id: org-cleanup
    policy: standard
    mode: apply
  - name: alone
    external_id: org-cleanup
    policy: standard
    mode: apply
  - name: spaced
    accounts: [arn:aws:iam::111111111111:role/regsweep]
    external_id: "has space"
    policy: standard
    mode: apply
)";
  auto config = parse_run_config(yaml, "/etc/regsweep/regsweep.yaml", fake_read);
  ASSERT_FALSE(config.ok());
  const std::string& m = config.error().message;
  EXPECT_NE(m.find("regsweep.yaml:10:18: targets[1].external_id: given without a role to assume; "
                   "fix: add targets[1].accounts"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("regsweep.yaml:15:18: targets[2].external_id: not an external id STS accepts"),
            std::string::npos)
      << m;
  EXPECT_EQ(m.find("targets[0]"), std::string::npos) << m;
  const std::string good = std::string(yaml).substr(0, std::string(yaml).find("  - name: alone"));
  auto parsed = parse_run_config(good, "/etc/regsweep/regsweep.yaml", fake_read);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->targets[0].external_id, "org-cleanup");
}

TEST(RunConfig, KubeconfigEntriesMayJoinSeveralFiles) {
  const char* yaml = R"(policies:
  standard: {file: policies/standard.json}
targets:
  - policy: standard
    mode: apply
    protections:
      kubeconfig: ["kube/a.yaml:/abs/b.yaml", "c.yaml"]
)";
  auto config = parse_run_config(yaml, "/etc/regsweep/regsweep.yaml", fake_read);
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(
      config->targets[0].protections.kubeconfigs,
      (std::vector<std::string>{"/etc/regsweep/kube/a.yaml:/abs/b.yaml", "/etc/regsweep/c.yaml"}));
  auto empty =
      parse_run_config(std::string(yaml).replace(std::string(yaml).find("\"c.yaml\""), 8, "\"::\""),
                       "/etc/regsweep/regsweep.yaml", fake_read);
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().message.find("targets[0].protections.kubeconfig: an entry names no file"),
            std::string::npos)
      << empty.error().message;
}

}  // namespace
}  // namespace regsweep
