// Exec credential plugins: the ExecCredential reader, and real runs of small scripts written into
// a temporary directory.
#include "inuse/kube_exec.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

namespace regsweep {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

KubeExecConfig config_for(const std::string& command,
                          std::string_view api_version = k_exec_api_v1beta1) {
  KubeExecConfig config;
  config.where = "kc: users.eks.exec";
  config.api_version = std::string(api_version);
  config.command = command;
  config.timeout = std::chrono::seconds(20);
  return config;
}

TEST(ExecCredential, TakesStatusTokenOfTheRightKindAndVersion) {
  const auto config = config_for("aws", k_exec_api_v1);
  auto token = parse_exec_credential(
      R"({"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{},)"
      R"("status":{"expirationTimestamp":"2026-11-28T07:00:00Z","token":"k8s-aws-v1.abc"}})",
      config);
  ASSERT_TRUE(token.ok()) << token.error().message;
  EXPECT_EQ(token->reveal(), "k8s-aws-v1.abc");
}

TEST(ExecCredential, RefusesAnythingElseWithoutQuotingTheOutput) {
  struct Case {
    std::string output;
    std::string message_part;
  };
  const std::string v1beta1 = R"("apiVersion":"client.authentication.k8s.io/v1beta1")";
  const Case cases[] = {
      {"token=SECRET-1", "its output is not a JSON object"},
      {R"(["SECRET-2"])", "its output is not a JSON object"},
      {R"({"kind":"Secret",)" + v1beta1 + R"(,"status":{"token":"SECRET-3"}})",
       "its output's kind is 'Secret', not 'ExecCredential'"},
      {R"({"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1",)"
       R"("status":{"token":"SECRET-4"}})",
       "its output's apiVersion is 'client.authentication.k8s.io/v1' but the kubeconfig asks for "
       "'client.authentication.k8s.io/v1beta1'"},
      {R"({"kind":"ExecCredential",)" + v1beta1 + R"(,"status":{"token":""}})",
       "its output has no status.token"},
      {R"({"kind":"ExecCredential",)" + v1beta1 + R"(,"status":{"token":7}})",
       "its output has no status.token"},
      {R"({"kind":"ExecCredential",)" + v1beta1 + R"(})", "its output has no status.token"},
      {R"({"kind":"ExecCredential",)" + v1beta1 +
           R"(,"status":{"clientCertificateData":"SECRET-5","clientKeyData":"SECRET-6"}})",
       "the plugin returned a client certificate, which is not supported here"},
  };
  for (const auto& c : cases) {
    auto token = parse_exec_credential(c.output, config_for("plugin"));
    ASSERT_FALSE(token.ok()) << c.output;
    EXPECT_THAT(token.error().message,
                HasSubstr("kc: users.eks.exec: 'plugin': " + c.message_part));
    EXPECT_THAT(token.error().message, Not(HasSubstr("SECRET")));
  }
}

TEST(ExecInfo, SaysNonInteractiveAndGivesTheClusterOnlyWhenAsked) {
  auto config = config_for("x", k_exec_api_v1);
  const KubeExecCluster cluster{"https://k:6443", "PEM"};
  EXPECT_EQ(exec_info_json(config, cluster),
            R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",)"
            R"("spec":{"interactive":false}})");
  config.provide_cluster_info = true;
  const auto doc = nlohmann::json::parse(exec_info_json(config, cluster));
  EXPECT_EQ(doc["spec"]["cluster"]["server"], "https://k:6443");
  EXPECT_EQ(doc["spec"]["cluster"]["certificate-authority-data"], "UEVN");
}

class ExecPluginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "rs-kube-exec-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    m_dir = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(m_dir); }

  std::string script(const std::string& body) {
    const std::string path = m_dir + "/plugin.sh";
    std::ofstream(path) << "#!/bin/sh\n" << body;
    ::chmod(path.c_str(), 0755);
    return path;
  }

  std::string m_dir;
};

TEST_F(ExecPluginTest, RunsWithArgsEnvAndExecInfo) {
  // The plugin echoes what it was given inside the token, so the test sees it.
  auto config = config_for(script(R"(printf '{"kind":"ExecCredential",)"
                                  R"("apiVersion":"client.authentication.k8s.io/v1beta1",)"
                                  R"("status":{"token":"%s|%s|%s|%s"}}' "$1" "$2" "$EXTRA" )"
                                  R"x("$(echo "$KUBERNETES_EXEC_INFO" | tr -d '"')")x"));
  config.args = {"eks", "get-token"};
  config.env = {{"EXTRA", "from-kubeconfig"}, {"KUBERNETES_EXEC_INFO", "ours wins"}};
  auto token = run_exec_plugin(config, KubeExecCluster{"https://k", ""});
  ASSERT_TRUE(token.ok()) << token.error().message;
  EXPECT_EQ(token->reveal(),
            "eks|get-token|from-kubeconfig|{apiVersion:client.authentication.k8s.io/v1beta1,"
            "kind:ExecCredential,spec:{interactive:false}}");
}

TEST_F(ExecPluginTest, FailuresAreClearAndNeverShowTheToken) {
  auto failing = config_for(script(
      "echo '{\"kind\":\"ExecCredential\",\"status\":{\"token\":\"SECRET\"}}'\n"
      "echo 'An error occurred (ExpiredToken): the security token is expired' >&2\nexit 255\n"));
  auto token = run_exec_plugin(failing, {});
  ASSERT_FALSE(token.ok());
  EXPECT_EQ(token.error().code, ErrorCode::unauthorized);
  EXPECT_THAT(token.error().message,
              HasSubstr("exited with status 255: An error occurred (ExpiredToken): the security "
                        "token is expired; run the command by hand"));
  EXPECT_THAT(token.error().message, Not(HasSubstr("SECRET")));

  auto missing_aws = config_for("/nonexistent-dir/bin/aws");
  token = run_exec_plugin(missing_aws, {});
  ASSERT_FALSE(token.ok());
  EXPECT_EQ(token.error().code, ErrorCode::invalid_input);
  EXPECT_THAT(token.error().message,
              HasSubstr("'/nonexistent-dir/bin/aws': command not found; install the AWS CLI"));

  auto missing_plugin = config_for("regsweep-no-such-plugin");
  missing_plugin.install_hint = "brew install\nthe-plugin";
  token = run_exec_plugin(missing_plugin, {});
  ASSERT_FALSE(token.ok());
  EXPECT_THAT(token.error().message, HasSubstr("command not found in PATH"));
  EXPECT_THAT(token.error().message, HasSubstr("(the kubeconfig says: brew install the-plugin)"));

  auto slow = config_for(script("sleep 30\n"));
  slow.timeout = std::chrono::milliseconds(200);
  token = run_exec_plugin(slow, {});
  ASSERT_FALSE(token.ok());
  EXPECT_EQ(token.error().code, ErrorCode::transient);
  EXPECT_THAT(token.error().message, HasSubstr("and was killed"));

  auto garbage = config_for(script("echo SECRET-token-text\n"));
  token = run_exec_plugin(garbage, {});
  ASSERT_FALSE(token.ok());
  EXPECT_THAT(token.error().message, HasSubstr("its output is not a JSON object"));
  EXPECT_THAT(token.error().message, Not(HasSubstr("SECRET")));
}

}  // namespace
}  // namespace regsweep
