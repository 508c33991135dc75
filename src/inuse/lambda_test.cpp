// Lambda: each answer's parser, and the source against a scripted AwsRestClient.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "aws/rest_json.hpp"
#include "inuse/source.hpp"

namespace regsweep {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(LambdaParsers, FunctionsKeepsImageFunctionsOnly) {
  auto page = parse_lambda_functions(R"({"Functions":[
    {"FunctionName":"api","PackageType":"Image"},
    {"FunctionName":"zip","PackageType":"Zip"},
    {"FunctionName":"old-zip"}],"NextMarker":"m2"})");
  ASSERT_TRUE(page.ok()) << page.error().message;
  EXPECT_THAT(page->items, ElementsAre("api"));
  EXPECT_EQ(page->next_marker, "m2");
  EXPECT_TRUE(parse_lambda_functions(R"({"Functions":[]})")->next_marker.empty());
  EXPECT_FALSE(parse_lambda_functions(R"({"Functions":{}})").ok());
  EXPECT_FALSE(parse_lambda_functions(R"({"Functions":[{"PackageType":"Image"}]})").ok());
  EXPECT_FALSE(parse_lambda_functions("nope").ok());
}

TEST(LambdaParsers, VersionsAndAliasesIncludingWeightedRouting) {
  auto versions = parse_lambda_versions(
      R"({"Versions":[{"Version":"$LATEST"},{"Version":"1"},{"Version":"2"}]})");
  ASSERT_TRUE(versions.ok());
  EXPECT_THAT(versions->items, ElementsAre("$LATEST", "1", "2"));
  auto aliases = parse_lambda_aliases(R"({"Aliases":[
    {"Name":"live","FunctionVersion":"7","RoutingConfig":{"AdditionalVersionWeights":{"8":0.1}}},
    {"Name":"beta","FunctionVersion":"9"}],"NextMarker":"x"})");
  ASSERT_TRUE(aliases.ok());
  EXPECT_THAT(aliases->items, ElementsAre("7", "8", "9"));
  EXPECT_EQ(aliases->next_marker, "x");
  EXPECT_FALSE(parse_lambda_aliases(R"({"Aliases":[{"Name":"a"}]})").ok());
  // A weight keyed by an empty version would make the scan read $LATEST instead: refused.
  EXPECT_FALSE(
      parse_lambda_aliases(
          R"({"Aliases":[{"FunctionVersion":"1","RoutingConfig":{"AdditionalVersionWeights":{"":0.5}}}]})")
          .ok());
}

TEST(LambdaParsers, FunctionCode) {
  auto code = parse_lambda_function_code(
      R"({"Configuration":{},"Code":{"RepositoryType":"ECR","ImageUri":"1.dkr.ecr.r.amazonaws.com/a:v1",
          "ResolvedImageUri":"1.dkr.ecr.r.amazonaws.com/a@sha256:aa"}})");
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(code->image_uri, "1.dkr.ecr.r.amazonaws.com/a:v1");
  EXPECT_EQ(code->resolved_image_uri, "1.dkr.ecr.r.amazonaws.com/a@sha256:aa");
  auto zip =
      parse_lambda_function_code(R"({"Code":{"RepositoryType":"S3","Location":"https://x"}})");
  ASSERT_FALSE(zip.ok());
  EXPECT_THAT(zip.error().message, HasSubstr("neither ImageUri nor ResolvedImageUri"));
}

class ScriptedRest final : public AwsRestClient {
 public:
  std::map<std::string, std::string> answers;
  std::vector<std::string> asked;
  Result<std::string> get(const std::string& path) override {
    asked.push_back(path);
    const auto it = answers.find(path);
    if (it == answers.end()) return make_error(ErrorCode::forbidden, "AccessDenied: " + path);
    return it->second;
  }
};

std::string code(const std::string& tag, char digest) {
  const std::string repo = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/fn";
  return R"({"Code":{"ImageUri":")" + repo + ":" + tag + R"(","ResolvedImageUri":")" + repo +
         "@sha256:" + std::string(64, digest) + R"("}})";
}

TEST(LambdaSource, EveryVersionAndAliasTargetIsInUseAndAnyFailureFailsTheScan) {
  auto rest = std::make_shared<ScriptedRest>();
  const std::string fn = "/2015-03-31/functions/api";
  rest->answers = {
      {"/2015-03-31/functions/?MaxItems=50",
       R"({"Functions":[{"FunctionName":"api","PackageType":"Image"}],"NextMarker":"p2"})"},
      {"/2015-03-31/functions/?MaxItems=50&Marker=p2",
       R"({"Functions":[{"FunctionName":"zip","PackageType":"Zip"}]})"},
      {fn + "/versions?MaxItems=50", R"({"Versions":[{"Version":"$LATEST"},{"Version":"1"}]})"},
      {fn + "/aliases?MaxItems=50",
       R"({"Aliases":[{"Name":"live","FunctionVersion":"1","RoutingConfig":{"AdditionalVersionWeights":{"0":0.5}}}]})"},
      {fn + "?Qualifier=%24LATEST", code("v3", 'c')},
      {fn + "?Qualifier=1", code("v2", 'b')},
      {fn + "?Qualifier=0", code("v1", 'a')},
  };
  auto set = make_lambda_source(rest, "eu-west-1")->collect();
  ASSERT_TRUE(set.ok()) << set.error().message;
  EXPECT_EQ(set->entries.size(), 6u);  // 3 qualifiers x (digest + tag)
  EXPECT_EQ(set->entries[0].source, "lambda eu-west-1 api:$LATEST");
  EXPECT_EQ(set->entries[0].raw,
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/fn@sha256:" + std::string(64, 'c'));
  EXPECT_EQ(set->sources, std::vector<std::string>{"lambda eu-west-1"});
  // Version 0 (only reachable through the alias' weighted routing) fails: the scan fails.
  rest->answers.erase(fn + "?Qualifier=0");
  auto failed = make_lambda_source(rest, "eu-west-1")->collect();
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, ErrorCode::forbidden);
}

}  // namespace
}  // namespace regsweep
