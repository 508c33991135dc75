#include "cli/aws_timeouts.hpp"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>

#include "aws/session.hpp"

namespace regsweep::cli {
namespace {

TEST(AwsTimeouts, SecondsBecomeMillisecondsRoundedUp) {
  EXPECT_EQ(*parse_timeout_seconds("20", "--x"), std::chrono::milliseconds(20'000));
  EXPECT_EQ(*parse_timeout_seconds("0.3", "--x"), std::chrono::milliseconds(300));
  EXPECT_EQ(*parse_timeout_seconds("0", "--x"), std::chrono::milliseconds(0));
  EXPECT_EQ(*parse_timeout_seconds("0.0001", "--x"), std::chrono::milliseconds(1));  // not "none"
  EXPECT_EQ(*parse_timeout_seconds("86400", "--x"), std::chrono::milliseconds(86'400'000));
}

TEST(AwsTimeouts, NegativeNonFiniteAndNonNumbersAreRefusedByName) {
  for (const char* bad : {"-1", "-0.5", "nan", "NaN", "inf", "-inf", "infinity", "1e3", "0x10",
                          "10s", "", " 1", "1.2.3", "86401", "1e400"}) {
    auto value = parse_timeout_seconds(bad, "--cli-read-timeout");
    ASSERT_FALSE(value.ok()) << bad;
    EXPECT_EQ(value.error().code, ErrorCode::invalid_input);
    EXPECT_TRUE(value.error().message.starts_with("--cli-read-timeout: ")) << value.error().message;
  }
}

TEST(AwsTimeouts, FlagsParseValidateAndReachTheSessionOptions) {
  CLI::App app;
  AwsTimeouts timeouts;
  add_aws_timeout_options(app, timeouts, "AWS");
  app.parse(std::vector<std::string>{"0.25", "--cli-read-timeout", "7", "--cli-connect-timeout"});
  AwsSessionOptions session;
  timeouts.apply_to(session);
  EXPECT_EQ(session.connect_timeout, std::chrono::milliseconds(7000));
  EXPECT_EQ(session.read_timeout, std::chrono::milliseconds(250));

  AwsTimeouts unset;
  AwsSessionOptions defaults;
  unset.apply_to(defaults);
  EXPECT_EQ(defaults.connect_timeout, AwsSessionOptions{}.connect_timeout);
  EXPECT_EQ(defaults.read_timeout, AwsSessionOptions{}.read_timeout);

  for (const char* bad : {"nan", "inf", "-1"}) {
    CLI::App bad_app;
    AwsTimeouts t;
    add_aws_timeout_options(bad_app, t, "AWS");
    try {
      bad_app.parse(std::vector<std::string>{bad, "--cli-read-timeout"});
      FAIL() << bad << " was accepted";
    } catch (const CLI::ParseError& e) {
      EXPECT_NE(std::string(e.what()).find("--cli-read-timeout"), std::string::npos) << e.what();
      EXPECT_FALSE(t.read.has_value());
    }
  }
}

}  // namespace
}  // namespace regsweep::cli
