// Policy validation: every valid policy of the AWS docs parses; everything ECR rejects (spec §1) is
// rejected with the file, line, column and JSON path of the problem and a fix.
#include "policy/parse.hpp"

#include <gtest/gtest.h>

#include "policy/policy.hpp"

namespace regsweep {
namespace {

// A rule with the given selection and action bodies.
std::string rule(int priority, const std::string& selection,
                 const std::string& action = R"("type":"expire")") {
  return "{\"rulePriority\":" + std::to_string(priority) + ",\"selection\":{" + selection +
         "},\"action\":{" + action + "}}";
}
std::string doc(const std::vector<std::string>& rules) {
  std::string out = "{\"rules\":[";
  for (std::size_t i = 0; i < rules.size(); ++i) out += (i ? "," : "") + rules[i];
  return out + "]}";
}
const std::string k_untagged_count =
    R"("tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":1)";
const std::string k_any_count =
    R"("tagStatus":"any","countType":"imageCountMoreThan","countNumber":5)";

TEST(ParsePolicy, AcceptsTheDocsTemplatesAndExamples) {
  const std::vector<std::string> valid = {
      doc({rule(
          1,
          R"("tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14)")}),
      doc({rule(
          1,
          R"("tagStatus":"tagged","tagPatternList":["prod*"],"countType":"sinceImagePushed","countUnit":"days","countNumber":14)")}),
      doc({rule(1, k_untagged_count)}),
      doc({rule(
               1,
               R"("tagStatus":"tagged","tagPrefixList":["prod"],"countType":"imageCountMoreThan","countNumber":1)"),
           rule(
               2,
               R"("tagStatus":"tagged","tagPrefixList":["beta"],"countType":"imageCountMoreThan","countNumber":1)")}),
      doc({rule(
          1,
          R"("tagStatus":"tagged","tagPatternList":["*test*1*2*3","test*1*2*3*"],"countType":"imageCountMoreThan","countNumber":1)")}),
      doc({rule(
               1,
               R"("tagStatus":"tagged","tagPatternList":["alpha*"],"countType":"imageCountMoreThan","countNumber":1)"),
           rule(
               2,
               R"("tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":1)"),
           rule(3, R"("tagStatus":"any","countType":"imageCountMoreThan","countNumber":1)")}),
      doc({rule(
          1,
          R"("tagStatus":"tagged","tagPatternList":["prod*"],"countType":"sinceImagePushed","countUnit":"days","countNumber":30)",
          R"("type":"transition","targetStorageClass":"archive")")}),
      doc({rule(
          1,
          R"("tagStatus":"any","countType":"sinceImagePulled","countUnit":"days","countNumber":90)",
          R"("type":"transition","targetStorageClass":"archive")")}),
      // Combining archive and expire rules: one "any" rule per storage class.
      doc({rule(
               1,
               R"("tagStatus":"any","countType":"sinceImagePushed","countUnit":"days","countNumber":30)",
               R"("type":"transition","targetStorageClass":"archive")"),
           rule(
               2,
               R"("tagStatus":"any","storageClass":"archive","countType":"sinceImageTransitioned","countUnit":"days","countNumber":365)")}),
      // Explicit "standard" is documented as the default (spec 1.4.4).
      doc({rule(
          7,
          R"("tagStatus":"untagged","storageClass":"standard","countType":"imageCountMoreThan","countNumber":3)")}),
  };
  for (const auto& text : valid) {
    auto parsed = parse_policy(text, "p.json");
    EXPECT_TRUE(parsed.ok()) << text << "\n" << (parsed ? "" : parsed.error().message);
  }
}

TEST(ParsePolicy, RulesComeOutSortedByPriorityWithAllFields) {
  auto parsed = parse_policy(
      doc({rule(20, k_any_count),
           rule(
               3,
               R"("tagStatus":"tagged","tagPrefixList":["v","rel"],"countType":"sinceImagePushed","countUnit":"days","countNumber":14)")}),
      "p.json");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  ASSERT_EQ(parsed->rules.size(), 2u);
  const Rule& first = parsed->rules[0];
  EXPECT_EQ(first.priority, 3);
  EXPECT_EQ(first.tag_status, TagStatus::tagged);
  EXPECT_EQ(first.tag_prefixes, (std::vector<std::string>{"v", "rel"}));
  EXPECT_EQ(first.count_type, CountType::since_image_pushed);
  EXPECT_EQ(first.count_number, 14);
  EXPECT_EQ(parsed->rules[1].priority, 20);
}

TEST(ParsePolicy, AcceptsGetLifecyclePolicyOutput) {
  const std::string inner = doc({rule(1, k_untagged_count)});
  std::string escaped;
  for (char c : inner) escaped += (c == '"' ? std::string("\\\"") : std::string(1, c));
  const std::string wrapped =
      "{\"registryId\":\"123456789012\",\"repositoryName\":\"app\",\"lifecyclePolicyText\":\"" +
      escaped + "\",\"lastEvaluatedAt\":0}";
  auto parsed = parse_policy(wrapped, "got.json");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->rules.size(), 1u);
}

// Issue 11: a description with invalid UTF-8 passed `policy validate`, then broke `policy put`
// (the JSON library refused it) and made `plan --save-plan` write JSON nothing could read. ECR
// refuses it.
TEST(ParsePolicy, InvalidUtf8IsRefusedWhereItIs) {
  const std::string text = "{\"rules\": [{\"rulePriority\": 1, \"description\": \"caf\xe9\"\n" +
                           rule(1, k_untagged_count).substr(17) + "]}";
  auto parsed = parse_policy(text, "policy.json");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, ErrorCode::invalid_input);
  EXPECT_NE(parsed.error().message.find("not valid JSON: 1:51: not valid UTF-8"), std::string::npos)
      << parsed.error().message;
  const std::string valid =
      "{\"rules\": [{\"rulePriority\": 1, \"description\": \"caf\xc3\xa9\"\n" +
      rule(1, k_untagged_count).substr(17) + "]}";
  EXPECT_TRUE(parse_policy(valid, "policy.json").ok()) << valid;
}

TEST(ParsePolicy, ErrorNamesFileLineColumnPathAndFix) {
  const std::string text =
      "{\n"
      "  \"rules\": [\n"
      "    {\"rulePriority\": 1,\n"
      "     \"selection\": {\"tagStatus\": \"untagged\", \"countType\": \"imageCountMoreThan\",\n"
      "                   \"countNumber\": 0},\n"
      "     \"action\": {\"type\": \"expire\"}}\n"
      "  ]\n"
      "}\n";
  auto parsed = parse_policy(text, "policy.json");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(parsed.error().message,
            "policy.json:5:35: rules[0].selection.countNumber: 0 is out of range 1..2147483647; "
            "countNumber is a positive whole number (0 is not accepted)");
}

// The README promises every problem of every rule: a problem in one field (a tagged rule without
// its tag list) must not hide the problems of another (an age rule without countUnit).
TEST(ParsePolicy, ReportsEveryProblemOfARule) {
  const std::string text =
      R"({"rules":[{"rulePriority":1,"selection":{"tagStatus":"tagged","countType":)"
      R"("sinceImagePushed","countNumber":14},"action":{"type":"expire"}}]})";
  auto parsed = parse_policy(text, "p.json");
  ASSERT_FALSE(parsed.ok());
  const std::string& message = parsed.error().message;
  EXPECT_NE(message.find("rules[0].selection.tagStatus: \"tagged\" needs tagPrefixList"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("rules[0].selection.countUnit: missing; sinceImagePushed needs"),
            std::string::npos)
      << message;
}

TEST(ParsePolicy, ReportsEveryProblemOfEveryRule) {
  // Rule 1: a bad tag pattern and sinceImagePulled with expire; rule 2: a bad countType and a
  // transition without its target; rule 3: an invalid storageClass and a countUnit on a count rule.
  const std::string text = doc(
      {rule(1, R"("tagStatus":"tagged","tagPatternList":["a b"],"countType":"sinceImagePulled",)"
               R"("countUnit":"days","countNumber":30)"),
       rule(2, R"("tagStatus":"any","countType":"sinceForever","countNumber":3)",
            R"("type":"transition")"),
       rule(3, R"("tagStatus":"untagged","storageClass":"cold","countType":"imageCountMoreThan",)"
               R"("countUnit":"days","countNumber":3)")});
  auto parsed = parse_policy(text, "p.json");
  ASSERT_FALSE(parsed.ok());
  const std::string& message = parsed.error().message;
  for (const char* expected :
       {"rules[0].selection.tagPatternList[0]: contains ' '",
        "rules[0].action.type: sinceImagePulled cannot \"expire\"",
        "rules[1].selection.countType: \"sinceForever\" is not one of",
        "rules[1].action.targetStorageClass: missing; a transition needs",
        "rules[2].selection.storageClass: \"cold\" is not one of",
        "rules[2].selection.countUnit: not allowed with imageCountMoreThan"}) {
    EXPECT_NE(message.find(expected), std::string::npos) << expected << "\n" << message;
  }
}

struct Invalid {
  const char* name;
  std::string text;
  std::string expected;  // a substring of the error message: "line:col: path: ..." or part of it
};

std::vector<Invalid> invalid_policies() {
  const std::string pushed14 =
      R"("countType":"sinceImagePushed","countUnit":"days","countNumber":14)";
  std::vector<std::string> fifty_one;
  for (int i = 1; i <= 51; ++i) {
    fifty_one.push_back(rule(i, R"("tagStatus":"tagged","tagPrefixList":["t)" + std::to_string(i) +
                                    R"("],"countType":"imageCountMoreThan","countNumber":1)"));
  }
  std::string long_description(30'800, 'x');
  return {
      {"not json", "{\"rules\": [", "(policy): not valid JSON"},
      {"not an object", "[1,2,3]", "(policy): must be an object"},
      {"missing rules", R"({"rulez":[]})", "rulez: unknown key"},
      {"empty rules", R"({"rules":[]})", "rules: is empty"},
      {"unknown rule key", doc({rule(1, k_untagged_count).insert(1, "\"id\":1,")}),
       "rules[0].id: unknown key"},
      {"unknown selection key", doc({rule(1, k_untagged_count + R"(,"tagList":["a"])")}),
       "rules[0].selection.tagList: unknown key"},
      {"null countUnit", doc({rule(1, k_untagged_count + R"(,"countUnit":null)")}),
       "rules[0].selection.countUnit: null is not allowed"},
      {"null targetStorageClass",
       doc({rule(1, k_untagged_count, R"("type":"expire","targetStorageClass":null)")}),
       "rules[0].action.targetStorageClass: null is not allowed"},
      {"duplicate key", doc({rule(1, k_untagged_count + R"(,"countNumber":2)")}),
       "rules[0].selection.countNumber: the key appears twice"},
      {"duplicate priority", doc({rule(1, k_untagged_count), rule(1, k_any_count)}),
       "rules[1].rulePriority: 1 is already used by rules[0]"},
      {"priority zero", doc({rule(0, k_untagged_count)}),
       "rules[0].rulePriority: 0 is out of range"},
      {"priority fraction",
       R"({"rules":[{"rulePriority":1.5,"selection":{)" + k_untagged_count +
           R"(},"action":{"type":"expire"}}]})",
       "rules[0].rulePriority: must be a whole number"},
      {"priority string",
       R"({"rules":[{"rulePriority":"1","selection":{)" + k_untagged_count +
           R"(},"action":{"type":"expire"}}]})",
       "rules[0].rulePriority: must be a number, not a string"},
      {"tagged without list",
       doc({rule(1, R"("tagStatus":"tagged","countType":"imageCountMoreThan","countNumber":1)")}),
       "\"tagged\" needs tagPrefixList or tagPatternList"},
      {"untagged with list",
       doc({rule(
           1,
           R"("tagStatus":"untagged","tagPrefixList":["a"],"countType":"imageCountMoreThan","countNumber":1)")}),
       "rules[0].selection.tagPrefixList: only allowed with tagStatus \"tagged\", not "
       "\"untagged\""},
      {"any with list",
       doc({rule(
           1,
           R"("tagStatus":"any","tagPatternList":["a*"],"countType":"imageCountMoreThan","countNumber":1)")}),
       "rules[0].selection.tagPatternList: only allowed with tagStatus \"tagged\", not \"any\""},
      {"both lists",
       doc({rule(
           1,
           R"("tagStatus":"tagged","tagPrefixList":["a"],"tagPatternList":["b*"],"countType":"imageCountMoreThan","countNumber":1)")}),
       "not both"},
      {"empty list",
       doc({rule(
           1,
           R"("tagStatus":"tagged","tagPrefixList":[],"countType":"imageCountMoreThan","countNumber":1)")}),
       "rules[0].selection.tagPrefixList: is empty"},
      {"five wildcards",
       doc({rule(
           1,
           R"("tagStatus":"tagged","tagPatternList":["test*1*2*3*4*5*6"],"countType":"imageCountMoreThan","countNumber":1)")}),
       "rules[0].selection.tagPatternList[0]: has 6 wildcards"},
      {"star in prefix",
       doc({rule(
           1,
           R"("tagStatus":"tagged","tagPrefixList":["prod*"],"countType":"imageCountMoreThan","countNumber":1)")}),
       "prefixes are literal"},
      {"uppercase tagStatus",
       doc({rule(1, R"("tagStatus":"UNTAGGED","countType":"imageCountMoreThan","countNumber":1)")}),
       "values are case-sensitive: write \"untagged\""},
      {"unknown countType",
       doc({rule(1, R"("tagStatus":"untagged","countType":"imageCountLessThan","countNumber":1)")}),
       "rules[0].selection.countType: \"imageCountLessThan\" is not one of"},
      {"countUnit with count", doc({rule(1, k_untagged_count + R"(,"countUnit":"days")")}),
       "rules[0].selection.countUnit: not allowed with imageCountMoreThan"},
      {"countUnit missing",
       doc({rule(1, R"("tagStatus":"untagged","countType":"sinceImagePushed","countNumber":1)")}),
       "rules[0].selection.countUnit: missing"},
      {"countUnit day",
       doc({rule(
           1,
           R"("tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"day","countNumber":1)")}),
       "\"day\" is not supported"},
      {"countNumber zero",
       doc({rule(1, R"("tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":0)")}),
       "rules[0].selection.countNumber: 0 is out of range"},
      {"countNumber missing",
       doc({rule(1, R"("tagStatus":"untagged","countType":"imageCountMoreThan")")}),
       "rules[0].selection.countNumber: missing"},
      {"pulled with expire",
       doc({rule(
           1,
           R"("tagStatus":"any","countType":"sinceImagePulled","countUnit":"days","countNumber":90)")}),
       "sinceImagePulled cannot \"expire\""},
      {"transitioned with transition",
       doc({rule(
           1,
           R"("tagStatus":"any","storageClass":"archive","countType":"sinceImageTransitioned","countUnit":"days","countNumber":365)",
           R"("type":"transition","targetStorageClass":"archive")")}),
       "sinceImageTransitioned can only \"expire\""},
      {"transitioned without archive",
       doc({rule(
           1,
           R"("tagStatus":"any","countType":"sinceImageTransitioned","countUnit":"days","countNumber":365)")}),
       "needs \"storageClass\": \"archive\""},
      {"transitioned under 90 days",
       doc({rule(
           1,
           R"("tagStatus":"any","storageClass":"archive","countType":"sinceImageTransitioned","countUnit":"days","countNumber":30)")}),
       "archived images must stay at least 90 days"},
      {"archive with pushed",
       doc({rule(1, R"("tagStatus":"any","storageClass":"archive",)" + pushed14)}),
       "\"archive\" only works with countType sinceImageTransitioned"},
      {"transition without target",
       doc({rule(1, R"("tagStatus":"any",)" + pushed14, R"("type":"transition")")}),
       "a transition needs \"targetStorageClass\": \"archive\""},
      {"expire with target",
       doc({rule(1, R"("tagStatus":"any",)" + pushed14,
                 R"("type":"expire","targetStorageClass":"archive")")}),
       "only allowed with type \"transition\""},
      {"bad target",
       doc({rule(1, R"("tagStatus":"any",)" + pushed14,
                 R"("type":"transition","targetStorageClass":"glacier")")}),
       "\"glacier\" is not supported"},
      {"two untagged rules",
       doc({rule(1, k_untagged_count), rule(2, R"("tagStatus":"untagged",)" + pushed14)}),
       "rules[1].selection.tagStatus: only one rule per storage class may select untagged images"},
      {"any not last", doc({rule(1, k_any_count), rule(2, k_untagged_count)}),
       "rules[0].rulePriority: a tagStatus \"any\" rule must have the highest rulePriority"},
      {"two any rules", doc({rule(1, k_any_count), rule(2, R"("tagStatus":"any",)" + pushed14)}),
       "only one rule per storage class may use tagStatus \"any\""},
      {"51 rules", doc(fifty_one), "ECR allows at most 50 per policy"},
      {"too long",
       doc({R"({"rulePriority":1,"description":")" + long_description + R"(","selection":{)" +
            k_untagged_count + R"(},"action":{"type":"expire"}})"}),
       "ECR allows at most 30720"},
      {"too short", R"({"rules":[{"rulePriority":1}]})", "ECR requires at least 100"},
      {"missing action", R"({"rules":[{"rulePriority":1,"selection":{)" + k_untagged_count + "}}]}",
       "rules[0].action: missing"},
      {"missing type", doc({rule(1, k_untagged_count, "")}), "rules[0].action.type: missing"},
  };
}

TEST(ParsePolicy, RejectsEverythingEcrRejects) {
  for (const auto& c : invalid_policies()) {
    SCOPED_TRACE(c.name);
    auto parsed = parse_policy(c.text, "bad.json");
    ASSERT_FALSE(parsed.ok()) << c.text;
    EXPECT_EQ(parsed.error().code, ErrorCode::invalid_input);
    EXPECT_NE(parsed.error().message.find(c.expected), std::string::npos) << parsed.error().message;
    EXPECT_EQ(parsed.error().message.rfind("bad.json:", 0), 0u) << parsed.error().message;
  }
}

TEST(ParsePolicy, ReportsEveryProblemNotJustTheFirst) {
  auto parsed = parse_policy(
      doc({rule(0, k_untagged_count),
           rule(2, R"("tagStatus":"nope","countType":"imageCountMoreThan","countNumber":-1)")}),
      "multi.json");
  ASSERT_FALSE(parsed.ok());
  const std::string& m = parsed.error().message;
  EXPECT_NE(m.find("rules[0].rulePriority"), std::string::npos) << m;
  EXPECT_NE(m.find("rules[1].selection.tagStatus"), std::string::npos) << m;
  EXPECT_NE(m.find("rules[1].selection.countNumber"), std::string::npos) << m;
}

TEST(ToPolicyJson, CanonicalFormIsIndependentOfRuleOrderAndFormatting) {
  auto a = parse_policy(doc({rule(2, k_any_count), rule(1, k_untagged_count)}), "a");
  auto b = parse_policy(
      "{ \"rules\" : [\n" + rule(1, k_untagged_count) + ",\n  " + rule(2, k_any_count) + "]}", "b");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(to_policy_json(*a), to_policy_json(*b));
  auto round_trip = parse_policy(to_policy_json(*a), "c");
  ASSERT_TRUE(round_trip.ok()) << round_trip.error().message;
  EXPECT_EQ(to_policy_json(*round_trip), to_policy_json(*a));
}

}  // namespace
}  // namespace regsweep
