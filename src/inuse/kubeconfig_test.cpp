// kubeconfig users with client certificates, several kubeconfigs merged as kubectl merges
// $KUBECONFIG, kubectl's default files, and a client certificate presented to a real TLS server
// that demands one.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "inuse/kubernetes_api.hpp"
#include "inuse/kubernetes_sources.hpp"
#include "support/local_tls_server.hpp"
#include "util/base64.hpp"

namespace regsweep {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class KubeconfigFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/regsweep-kubeconfig-XXXXXX";
    m_dir = ::mkdtemp(pattern);
  }
  void TearDown() override { std::filesystem::remove_all(m_dir); }
  std::string write(const std::string& name, const std::string& text) {
    const std::string path = m_dir + "/" + name;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path) << text;
    return path;
  }
  KubeconfigText text(const std::string& name, const std::string& yaml) {
    const std::string path = write(name, yaml);
    return {path, std::filesystem::path(path).parent_path().string(), yaml};
  }
  std::string m_dir;
};

constexpr const char* k_cert_user = R"(
current-context: c
clusters:
- name: k
  cluster: {server: "https://k", certificate-authority: ca.pem}
users:
- name: u
  user: {client-certificate: certs/u.crt, client-key: certs/u.key}
contexts:
- name: c
  context: {cluster: k, user: u}
)";

TEST_F(KubeconfigFiles, ClientCertificateFilesAreReadRelativeToTheKubeconfig) {
  write("kube/certs/u.crt", "-----BEGIN CERTIFICATE-----\ncert\n");
  write("kube/certs/u.key", "-----BEGIN PRIVATE KEY-----\nSECRET-KEY\n");
  auto access = parse_kubeconfig(k_cert_user, "kc", "", m_dir + "/kube");
  ASSERT_TRUE(access.ok()) << access.error().message;
  EXPECT_EQ(access->client_certificate_pem, "-----BEGIN CERTIFICATE-----\ncert\n");
  EXPECT_EQ(access->client_key_pem.reveal(), "-----BEGIN PRIVATE KEY-----\nSECRET-KEY\n");
  EXPECT_EQ(access->ca_file, m_dir + "/kube/ca.pem");
  EXPECT_TRUE(access->token.empty());
}

TEST_F(KubeconfigFiles, ClientCertificateDataIsDecoded) {
  const std::string yaml =
      std::string(k_cert_user)
          .replace(std::string(k_cert_user).find("client-certificate:"),
                   std::string("client-certificate: certs/u.crt, client-key: "
                               "certs/u.key")
                       .size(),
                   "client-certificate-data: " + base64_encode("CERT") +
                       ", client-key-data: " + base64_encode("KEY") + ", token: t0k");
  auto access = parse_kubeconfig(yaml, "kc", "", m_dir);
  ASSERT_TRUE(access.ok()) << access.error().message;
  EXPECT_EQ(access->client_certificate_pem, "CERT");
  EXPECT_EQ(access->client_key_pem.reveal(), "KEY");
  EXPECT_EQ(access->token.reveal(), "t0k");  // both: kubectl sends both
}

TEST_F(KubeconfigFiles, HalfACertificateOrAnUnreadableKeyIsRefused) {
  write("kube/certs/u.crt", "CERT");
  auto missing_key = parse_kubeconfig(k_cert_user, "kc", "", m_dir + "/kube");
  ASSERT_FALSE(missing_key.ok());
  EXPECT_THAT(missing_key.error().message, HasSubstr("kc: users.u.client-key: "));
  EXPECT_THAT(missing_key.error().message, HasSubstr("no such file"));
  std::string half = k_cert_user;
  half.replace(half.find(", client-key: certs/u.key"), 25, "");
  auto no_key = parse_kubeconfig(half, "kc", "", m_dir + "/kube");
  ASSERT_FALSE(no_key.ok());
  EXPECT_THAT(no_key.error().message,
              HasSubstr("users.u: client-certificate without client-key; give both"));
  std::string bad = k_cert_user;
  bad.replace(bad.find("client-certificate: certs/u.crt"), 31, "client-certificate-data: '%%%'");
  auto not_base64 = parse_kubeconfig(bad, "kc", "", m_dir + "/kube");
  ASSERT_FALSE(not_base64.ok());
  EXPECT_THAT(not_base64.error().message, HasSubstr("users.u.client-certificate-data: not base64"));
}

TEST_F(KubeconfigFiles, SeveralFilesMergeAsKubectlMergesThem) {
  // The first file to name a cluster, user or context wins; current-context from the first
  // file that sets one; each file's relative paths against its own folder.
  const auto first = text("a/config", R"(
clusters:
- name: prod
  cluster: {server: "https://first", certificate-authority: prod-ca.pem}
users:
- name: me
  user: {token: first-token}
)");
  const auto second = text("b/config", R"(
current-context: prod
clusters:
- name: prod
  cluster: {server: "https://second"}
- name: dev
  cluster: {server: "https://dev", certificate-authority: dev-ca.pem}
users:
- name: me
  user: {token: second-token}
contexts:
- name: prod
  context: {cluster: prod, user: me}
- name: dev
  context: {cluster: dev, user: me}
)");
  const auto third = text("c/config", "current-context: dev\n");
  auto access = parse_kubeconfigs({first, second, third}, "");
  ASSERT_TRUE(access.ok()) << access.error().message;
  EXPECT_EQ(access->context, "prod");
  EXPECT_EQ(access->server, "https://first");
  EXPECT_EQ(access->ca_file, m_dir + "/a/prod-ca.pem");
  EXPECT_EQ(access->token.reveal(), "first-token");
  auto dev = parse_kubeconfigs({first, second, third}, "dev");
  ASSERT_TRUE(dev.ok()) << dev.error().message;
  EXPECT_EQ(dev->server, "https://dev");
  EXPECT_EQ(dev->ca_file, m_dir + "/b/dev-ca.pem");
  // The second file first: its current-context and its entries win.
  auto swapped = parse_kubeconfigs({third, second, first}, "");
  ASSERT_TRUE(swapped.ok()) << swapped.error().message;
  EXPECT_EQ(swapped->context, "dev");
  EXPECT_EQ(swapped->token.reveal(), "second-token");
  // Errors name every file and never the token.
  auto missing = parse_kubeconfigs({first, second}, "nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.error().message,
              HasSubstr(first.path + ":" + second.path + ": contexts: no context named 'nope'"));
  EXPECT_THAT(missing.error().message, Not(HasSubstr("token")));
}

TEST_F(KubeconfigFiles, KubectlDefaultsAndPathLists) {
  EXPECT_EQ(split_kubeconfig_paths("a::b:"), (std::vector<std::string>{"a", "b"}));
  auto from_env = default_kubeconfig_paths("--kubeconfig", "/x/one:/y/two", "/home/u");
  ASSERT_TRUE(from_env.ok());
  EXPECT_EQ(*from_env, (std::vector<std::string>{"/x/one", "/y/two"}));
  auto home = default_kubeconfig_paths("--kubeconfig", "", "/home/u");
  ASSERT_TRUE(home.ok());
  EXPECT_EQ(*home, (std::vector<std::string>{"/home/u/.kube/config"}));
  auto nothing = default_kubeconfig_paths("--kubeconfig", nullptr, nullptr);
  ASSERT_FALSE(nothing.ok());
  EXPECT_THAT(nothing.error().message, HasSubstr("KUBECONFIG is not set and HOME is not set"));
}

TEST_F(KubeconfigFiles, EveryListedFileMustExist) {
  const std::string good = write("config", k_cert_user);
  auto opened = open_kubeconfig_source("--kubeconfig", good + ":" + m_dir + "/absent", "");
  ASSERT_FALSE(opened.ok());
  EXPECT_THAT(opened.error().message, HasSubstr("--kubeconfig " + m_dir + "/absent: no such file"));
}

// The TLS server only answers clients whose certificate its own CA signed; the kubeconfig's
// client certificate gets through, no certificate does not.
TEST(KubernetesClientCertificate, IsPresentedToTheServer) {
  testing::LocalTlsServer server("IP:127.0.0.1", /*require_client_certificate=*/true);
  KubeAccess access;
  access.server = server.url();
  access.ca_pem = server.certificate_pem();
  auto without = make_kubernetes_http(access);
  ASSERT_TRUE(without.ok());
  auto refused = (*without)->send({"GET", server.url() + "/api/v1/pods", {}, ""});
  EXPECT_FALSE(refused.ok() && refused->status == 200);
  access.client_certificate_pem = server.client_certificate_pem();
  access.client_key_pem = Secret(server.client_key_pem());
  auto with = make_kubernetes_http(access);
  ASSERT_TRUE(with.ok());
  auto answered = (*with)->send({"GET", server.url() + "/api/v1/pods", {}, ""});
  ASSERT_TRUE(answered.ok()) << answered.error().message;
  EXPECT_EQ(answered->status, 200);
  EXPECT_EQ(server.verified_clients(), 1);
}

TEST(KubernetesClientCertificate, AKeyThatDoesNotMatchIsABadInputNotATransientError) {
  testing::LocalTlsServer server("IP:127.0.0.1", true);
  testing::LocalTlsServer other("IP:127.0.0.1", true);
  KubeAccess access;
  access.server = server.url();
  access.ca_pem = server.certificate_pem();
  access.client_certificate_pem = server.client_certificate_pem();
  access.client_key_pem = Secret(other.client_key_pem());
  auto http = make_kubernetes_http(access);
  ASSERT_TRUE(http.ok());
  auto refused = (*http)->send({"GET", server.url() + "/api/v1/pods", {}, ""});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::invalid_input) << refused.error().message;
  EXPECT_THAT(refused.error().message, HasSubstr("client certificate"));
  EXPECT_THAT(refused.error().message, Not(HasSubstr("PRIVATE KEY")));
}

}  // namespace
}  // namespace regsweep
