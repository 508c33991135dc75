// In-cluster access from a service-account directory made by the test.
#include "inuse/kube_in_cluster.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace regsweep {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class InClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "rs-in-cluster-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    m_dir = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(m_dir); }
  void write(const std::string& name, const std::string& text) {
    std::ofstream(m_dir + "/" + name) << text;
  }

  std::string m_dir;
};

TEST_F(InClusterTest, ServerTokenAndCaFromTheServiceAccount) {
  write("token", "eyJhbGciOi.sa-token\n");
  write("ca.crt", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
  auto access = in_cluster_access("10.96.0.1", "443", m_dir);
  ASSERT_TRUE(access.ok()) << access.error().message;
  EXPECT_EQ(access->server, "https://10.96.0.1:443");
  EXPECT_EQ(access->token.reveal(), "eyJhbGciOi.sa-token");
  EXPECT_EQ(access->ca_file, m_dir + "/ca.crt");
  EXPECT_EQ(access->context, "in-cluster");
  EXPECT_FALSE(access->exec.has_value());

  access = in_cluster_access("fd00:10:96::1", "6443", m_dir);
  ASSERT_TRUE(access.ok());
  EXPECT_EQ(access->server, "https://[fd00:10:96::1]:6443");
}

TEST_F(InClusterTest, MissingPiecesAreNamedWithTheFix) {
  const std::string fix = "run inside a pod with a service account, or use --kubeconfig";
  auto access = in_cluster_access(nullptr, nullptr, m_dir);
  ASSERT_FALSE(access.ok());
  EXPECT_EQ(access.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(
      access.error().message,
      "kubernetes in-cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT not set; " + fix);
  access = in_cluster_access("10.96.0.1", "", m_dir);
  ASSERT_FALSE(access.ok());
  EXPECT_THAT(access.error().message, HasSubstr(": KUBERNETES_SERVICE_PORT not set"));
  access = in_cluster_access("10.96.0.1", "https", m_dir);
  ASSERT_FALSE(access.ok());
  EXPECT_THAT(access.error().message, HasSubstr("'https' is not a port number"));

  access = in_cluster_access("10.96.0.1", "443", m_dir);
  ASSERT_FALSE(access.ok());
  EXPECT_THAT(access.error().message, HasSubstr(m_dir + "/token: cannot read"));
  EXPECT_THAT(access.error().message, HasSubstr(fix));

  write("token", "sa-token-value");
  access = in_cluster_access("10.96.0.1", "443", m_dir);
  ASSERT_FALSE(access.ok());
  EXPECT_THAT(access.error().message, HasSubstr(m_dir + "/ca.crt: cannot read"));
  EXPECT_THAT(access.error().message, Not(HasSubstr("sa-token-value")));

  write("ca.crt", "not a certificate");
  access = in_cluster_access("10.96.0.1", "443", m_dir);
  ASSERT_FALSE(access.ok());
  EXPECT_THAT(access.error().message, HasSubstr("ca.crt: no PEM certificate"));

  write("token", "\n");
  access = in_cluster_access("10.96.0.1", "443", m_dir);
  ASSERT_FALSE(access.ok());
  EXPECT_THAT(access.error().message, HasSubstr("/token: empty"));
}

}  // namespace
}  // namespace regsweep
