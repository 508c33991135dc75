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

TEST(AwsTimeouts, MaxRequestsPerSecondIsAPositiveFiniteNumber) {
  EXPECT_EQ(*parse_requests_per_second("5", "--x"), 5.0);
  EXPECT_EQ(*parse_requests_per_second("0.25", "--x"), 0.25);
  for (const char* bad : {"0", "0.0", "-1", "nan", "inf", "1e3", "5/s", "", " 5", "0x10"}) {
    auto value = parse_requests_per_second(bad, "--max-requests-per-second");
    ASSERT_FALSE(value.ok()) << bad;
    EXPECT_EQ(value.error().code, ErrorCode::invalid_input);
    EXPECT_TRUE(value.error().message.starts_with("--max-requests-per-second: "))
        << value.error().message;
  }
}

TEST(AwsTimeouts, MaxRequestsPerSecondReachesTheSessionOptions) {
  CLI::App app;
  AwsTimeouts options;
  add_aws_timeout_options(app, options, "AWS");
  app.parse(std::vector<std::string>{"2.5", "--max-requests-per-second"});
  AwsSessionOptions session;
  options.apply_to(session);
  EXPECT_EQ(session.max_requests_per_second, 2.5);
  AwsSessionOptions defaults;
  AwsTimeouts{}.apply_to(defaults);
  EXPECT_EQ(defaults.max_requests_per_second, 0);  // no cap

  CLI::App bad_app;
  AwsTimeouts bad;
  add_aws_timeout_options(bad_app, bad, "AWS");
  EXPECT_THROW(bad_app.parse(std::vector<std::string>{"0", "--max-requests-per-second"}),
               CLI::ParseError);
  EXPECT_FALSE(bad.max_requests_per_second.has_value());
}

}  // namespace
}  // namespace regsweep::cli
