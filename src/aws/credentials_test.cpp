// The credential chain's order and its file- and process-based sources, with temp files and an
// environment map (no network: IMDS disabled). HTTP-based sources: credentials_http_test.cpp.
#include "aws/credentials.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "aws/credential_sources.hpp"
#include "support/manual_clock.hpp"

namespace regsweep {
namespace {

class ChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/regsweep-creds-XXXXXX";
    m_dir = ::mkdtemp(pattern);
    env.home = m_dir;
    env.clock = &clock;
    env.variables["AWS_EC2_METADATA_DISABLED"] = "true";
  }
  void TearDown() override { std::filesystem::remove_all(m_dir); }

  std::string write(const std::string& name, const std::string& text, bool executable = false) {
    const std::string path = m_dir + "/" + name;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path) << text;
    if (executable) ::chmod(path.c_str(), 0755);
    return path;
  }

  Result<AwsCredentials> resolve(CredentialOptions options = {}) {
    auto chain = make_default_credentials_chain(options, env, nullptr);
    if (!chain) return chain.error();
    return (*chain)->credentials();
  }

  std::string m_dir;
  testing::ManualClock clock{*parse_timestamp("2025-01-15T12:00:00Z")};
  AwsEnvironment env;
};

TEST_F(ChainTest, EnvironmentKeysComeFirstEvenWithAwsProfile) {
  write(".aws/credentials", "[dev]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s\n");
  env.variables["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  env.variables["AWS_SECRET_ACCESS_KEY"] = "secret";
  env.variables["AWS_SESSION_TOKEN"] = "token";
  env.variables["AWS_PROFILE"] = "dev";
  auto creds = resolve();
  ASSERT_TRUE(creds.ok()) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "AKIDENV");
  EXPECT_EQ(creds->session_token.reveal(), "token");
  EXPECT_EQ(creds->source, "environment");
}

TEST_F(ChainTest, ExplicitProfileSkipsEnvironmentKeys) {
  write(".aws/credentials", "[dev]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s\n");
  env.variables["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  env.variables["AWS_SECRET_ACCESS_KEY"] = "secret";
  CredentialOptions options;
  options.profile = "dev";
  auto creds = resolve(options);
  ASSERT_TRUE(creds.ok()) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "AKIDFILE");
}

TEST_F(ChainTest, HalfSetEnvironmentIsAnError) {
  env.variables["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  auto creds = resolve();
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().code, ErrorCode::unauthorized);
  EXPECT_NE(creds.error().message.find("AWS_SECRET_ACCESS_KEY is not"), std::string::npos);
}

TEST_F(ChainTest, CredentialsFileBeatsConfigFileAndHonoursOverrides) {
  const auto creds_path = write(
      "elsewhere/creds", "[default]\naws_access_key_id = AKIDCREDS\naws_secret_access_key = a\n");
  const auto config_path =
      write("elsewhere/config",
            "[default]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = b\n"
            "[profile only-config]\naws_access_key_id = AKIDCFG2\n"
            "aws_secret_access_key = c\n");
  env.variables["AWS_SHARED_CREDENTIALS_FILE"] = creds_path;
  env.variables["AWS_CONFIG_FILE"] = config_path;
  auto creds = resolve();
  ASSERT_TRUE(creds.ok()) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "AKIDCREDS");
  CredentialOptions options;
  options.profile = "only-config";
  creds = resolve(options);
  ASSERT_TRUE(creds.ok()) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "AKIDCFG2");
}

TEST_F(ChainTest, CredentialProcessBeatsConfigKeysButNotCredentialsFile) {
  const auto script = write("proc.sh",
                            "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", "
                            "\"SecretAccessKey\": \"procsecret\", \"SessionToken\": \"TOK3\", "
                            "\"Expiration\": \"2025-01-15T18:00:00Z\"}'\n",
                            true);
  write(".aws/config", "[profile p3]\ncredential_process = " + script +
                           " --flag 'quoted arg'\naws_access_key_id = AKIDCONFIG\n"
                           "aws_secret_access_key = b\n");
  CredentialOptions options;
  options.profile = "p3";
  auto creds = resolve(options);
  ASSERT_TRUE(creds.ok()) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "AKIDPROC");
  EXPECT_EQ(creds->session_token.reveal(), "TOK3");
  ASSERT_TRUE(creds->expiration.has_value());
  EXPECT_EQ(*creds->expiration, *parse_timestamp("2025-01-15T18:00:00Z"));

  write(".aws/credentials", "[p3]\naws_access_key_id = AKIDCREDS\naws_secret_access_key = a\n");
  creds = resolve(options);
  ASSERT_TRUE(creds.ok());
  EXPECT_EQ(creds->access_key_id, "AKIDCREDS");
}

TEST_F(ChainTest, CredentialProcessFailuresNeverEchoTheOutput) {
  const auto wrong_version = write("v2.sh",
                                   "#!/bin/sh\necho '{\"Version\": 2, \"AccessKeyId\": \"AKID\", "
                                   "\"SecretAccessKey\": \"TOPSECRET-in-output\"}'\n",
                                   true);
  auto creds = process_credentials(wrong_version, "profile x");
  ASSERT_FALSE(creds.ok());
  EXPECT_NE(creds.error().message.find("Version must be 1"), std::string::npos);
  EXPECT_EQ(creds.error().message.find("TOPSECRET"), std::string::npos);

  const auto failing = write("fail.sh", "#!/bin/sh\necho TOPSECRET-partial\nexit 3\n", true);
  creds = process_credentials(failing, "profile x");
  ASSERT_FALSE(creds.ok());
  EXPECT_NE(creds.error().message.find("exit status 3"), std::string::npos);
  EXPECT_EQ(creds.error().message.find("TOPSECRET"), std::string::npos);

  creds = process_credentials("/nonexistent/helper", "profile x");
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().code, ErrorCode::unauthorized);
}

TEST(SplitCommand, QuotesAndEscapes) {
  auto words = split_command(
      R"(aws configure export-credentials --profile "my sso" --format 'pro cess' a\ b)");
  ASSERT_TRUE(words.ok());
  EXPECT_EQ(*words, (std::vector<std::string>{"aws", "configure", "export-credentials", "--profile",
                                              "my sso", "--format", "pro cess", "a b"}));
  EXPECT_FALSE(split_command("unbalanced 'quote").ok());
}

TEST_F(ChainTest, UnknownProfileIsInvalidInput) {
  env.variables["AWS_PROFILE"] = "ghost";
  auto creds = resolve();
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().code, ErrorCode::invalid_input);
  EXPECT_NE(creds.error().message.find("profile 'ghost'"), std::string::npos);
}

TEST_F(ChainTest, NothingFoundNamesEverySourceTried) {
  auto creds = resolve();
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().code, ErrorCode::unauthorized);
  const std::string& m = creds.error().message;
  for (const char* source : {"environment (AWS_ACCESS_KEY_ID", "web identity", "profile 'default'",
                             "container credentials", "EC2 instance metadata (disabled"})
    EXPECT_NE(m.find(source), std::string::npos) << source << " missing from: " << m;
}

TEST_F(ChainTest, ConsoleLoginProfilesPointToTheProcessWorkaround) {
  write(".aws/config", "[profile web]\nlogin_session = arn:aws:iam::1:user/me\n");
  CredentialOptions options;
  options.profile = "web";
  auto creds = resolve(options);
  ASSERT_FALSE(creds.ok());
  EXPECT_NE(creds.error().message.find("aws configure export-credentials --profile web"),
            std::string::npos);
}

TEST_F(ChainTest, RoleArnNeedsASource) {
  write(".aws/config", "[profile r]\nrole_arn = arn:aws:iam::123456789012:role/x\n");
  CredentialOptions options;
  options.profile = "r";
  auto creds = resolve(options);
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().code, ErrorCode::invalid_input);
  EXPECT_NE(creds.error().message.find("needs source_profile"), std::string::npos);
}

TEST_F(ChainTest, SecretsNeverAppearInErrors) {
  // Half-configured files: the error names the file and the key, never the secret value.
  write(".aws/credentials",
        "[default]\naws_secret_access_key = TOPSECRET-KEY\n"
        "aws_session_token = TOPSECRET-TOKEN\n");
  auto creds = resolve();
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().message.find("TOPSECRET"), std::string::npos) << creds.error().message;
  env.variables["AWS_SECRET_ACCESS_KEY"] = "TOPSECRET-ENV";
  env.variables["AWS_SESSION_TOKEN"] = "TOPSECRET-ENVTOKEN";
  creds = resolve();
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().message.find("TOPSECRET"), std::string::npos) << creds.error().message;
}

// Every value below ends up in an HTTP header (the key id in Authorization, the token in
// X-Amz-Security-Token), where a CR/LF would start a header of the attacker's choosing.
TEST_F(ChainTest, EnvironmentValuesWithControlCharactersAreRefusedByName) {
  const std::pair<const char*, const char*> cases[] = {
      {"AWS_SESSION_TOKEN", "tok\r\nX-Injected: yes"},
      {"AWS_SECURITY_TOKEN", "tok\nX-Injected: yes"},
      {"AWS_ACCESS_KEY_ID", "AKID\tX-Injected"},
      {"AWS_SECRET_ACCESS_KEY", "secret\x7fX-Injected"},
  };
  for (const auto& [name, value] : cases) {
    env.variables["AWS_ACCESS_KEY_ID"] = "AKIDENV";
    env.variables["AWS_SECRET_ACCESS_KEY"] = "secret";
    env.variables.erase("AWS_SESSION_TOKEN");
    env.variables.erase("AWS_SECURITY_TOKEN");
    env.variables[name] = value;
    auto creds = resolve();
    ASSERT_FALSE(creds.ok()) << name;
    EXPECT_EQ(creds.error().code, ErrorCode::invalid_input);
    EXPECT_NE(creds.error().message.find(std::string("environment: ") + name +
                                         ": contains a control character"),
              std::string::npos)
        << creds.error().message;
    EXPECT_EQ(creds.error().message.find("X-Injected"), std::string::npos);
  }
}

TEST_F(ChainTest, FileValuesWithControlCharactersAreRefusedByFileAndKey) {
  // A CR inside a value (a line ending CR is the Windows line end and is dropped) and a tab.
  const auto creds_path = write(".aws/credentials",
                                "[inj]\naws_access_key_id = AKID\naws_secret_access_key = s\n"
                                "aws_session_token = tok\rX-Injected: yes\n");
  CredentialOptions options;
  options.profile = "inj";
  auto creds = resolve(options);
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().code, ErrorCode::invalid_input);
  EXPECT_NE(creds.error().message.find("profile 'inj' in " + creds_path +
                                       ": aws_session_token: contains a control character"),
            std::string::npos)
      << creds.error().message;
  EXPECT_EQ(creds.error().message.find("X-Injected"), std::string::npos);

  const auto config_path = write(".aws/config",
                                 "[profile cfg]\naws_access_key_id = AKID\x01X-Injected\n"
                                 "aws_secret_access_key = s\n");
  options.profile = "cfg";
  creds = resolve(options);
  ASSERT_FALSE(creds.ok());
  EXPECT_NE(creds.error().message.find("profile 'cfg' in " + config_path +
                                       ": aws_access_key_id: contains a control character"),
            std::string::npos)
      << creds.error().message;
}

TEST_F(ChainTest, CredentialProcessOutputWithControlCharactersIsRefused) {
  // printf, not echo: dash's echo would turn the JSON escapes into real line breaks.
  const auto script =
      write("inj.sh",
            "#!/bin/sh\nprintf '%s\\n' '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", "
            "\"SecretAccessKey\": \"procsecret\", "
            "\"SessionToken\": \"tok\\r\\nX-Injected: yes\"}'\n",
            true);
  auto creds = process_credentials(script, "profile p");
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().code, ErrorCode::unauthorized);
  EXPECT_NE(creds.error().message.find("credential_process output: SessionToken: contains a "
                                       "control character"),
            std::string::npos)
      << creds.error().message;
  EXPECT_EQ(creds.error().message.find("X-Injected"), std::string::npos);
}

}  // namespace
}  // namespace regsweep
