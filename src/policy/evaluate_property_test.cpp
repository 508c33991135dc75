// Property tests over random policies and repositories (fixed seeds, so failures reproduce):
// - no image is acted on by two rules, and the acting rule is the first rule selecting it;
// - no image selected by a higher rule is acted on by a lower one;
// - a count rule never acts on any of the N newest images it selects;
// - verdicts do not depend on input order.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <numeric>
#include <random>

#include "policy/evaluate.hpp"
#include "policy/parse.hpp"
#include "support/policy_fixtures.hpp"

namespace regsweep {
namespace {

using testing::k_day;
using testing::k_test_now;

const std::vector<std::string> k_tag_pool = {"prod-1", "prod-2", "beta-1",   "v1.2.3",
                                             "latest", "dev",    "release-7"};

std::string random_rule(std::mt19937& rng, int priority, const std::string& tag_status) {
  std::uniform_int_distribution<int> coin(0, 1), count(1, 6), days(1, 60);
  std::string selection = "\"tagStatus\":\"" + tag_status + "\"";
  if (tag_status == "tagged") {
    static const std::vector<std::string> lists = {
        R"("tagPrefixList":["prod"])",         R"("tagPatternList":["*1*"])",
        R"("tagPatternList":["prod*","*-2"])", R"("tagPrefixList":["v","l"])",
        R"("tagPatternList":["*"])",           R"("tagPatternList":["latest"])"};
    selection += "," + lists[std::uniform_int_distribution<std::size_t>(0, lists.size() - 1)(rng)];
  }
  if (coin(rng)) {
    selection +=
        ",\"countType\":\"imageCountMoreThan\",\"countNumber\":" + std::to_string(count(rng));
  } else {
    selection += ",\"countType\":\"sinceImagePushed\",\"countUnit\":\"days\",\"countNumber\":" +
                 std::to_string(days(rng));
  }
  return "{\"rulePriority\":" + std::to_string(priority) + ",\"selection\":{" + selection +
         "},\"action\":{\"type\":\"expire\"}}";
}

Policy random_policy(std::mt19937& rng) {
  std::uniform_int_distribution<int> tagged_rules(0, 4), coin(0, 1);
  std::vector<std::string> rules;
  int priority = 1;
  const int n = tagged_rules(rng);
  for (int i = 0; i < n; ++i)
    rules.push_back(random_rule(rng, priority += 1 + coin(rng), "tagged"));
  if (coin(rng)) {  // the untagged rule may sit anywhere before "any"
    const auto at = std::uniform_int_distribution<std::size_t>(0, rules.size())(rng);
    rules.insert(rules.begin() + static_cast<std::ptrdiff_t>(at), random_rule(rng, 0, "untagged"));
  }
  if (coin(rng) || rules.empty()) rules.push_back(random_rule(rng, 0, "any"));
  std::string text = "{\"rules\":[";
  for (std::size_t i = 0; i < rules.size(); ++i) {
    // Renumber so priorities follow list order (required for "any" to be last).
    const auto start = rules[i].find(':') + 1;
    const auto end = rules[i].find(',');
    rules[i].replace(start, end - start, std::to_string(static_cast<int>(i) * 3 + 1));
    text += (i ? "," : "") + rules[i];
  }
  text += "]}";
  auto parsed = parse_policy(text, "random");
  EXPECT_TRUE(parsed.ok()) << text << "\n" << (parsed ? "" : parsed.error().message);
  return parsed ? std::move(parsed).value() : Policy{};
}

std::vector<ImageRecord> random_images(std::mt19937& rng) {
  std::uniform_int_distribution<int> count(0, 30), tags(0, 3), age(0, 90 * 24);
  std::uniform_int_distribution<std::size_t> pick(0, k_tag_pool.size() - 1);
  std::vector<ImageRecord> images;
  const int n = count(rng);
  for (int i = 0; i < n; ++i) {
    ImageRecord image =
        testing::image("img" + std::to_string(i), {}, age(rng) * 3'600'000LL + 1234);
    const int t = tags(rng);
    for (int k = 0; k < t; ++k) {
      const auto& tag = k_tag_pool[pick(rng)];
      if (std::find(image.tags.begin(), image.tags.end(), tag) == image.tags.end())
        image.tags.push_back(tag);
    }
    images.push_back(std::move(image));
  }
  return images;
}

// Selection as the spec defines it, written independently of evaluate.cpp's helpers.
bool selects(const Rule& rule, const ImageRecord& image) {
  if (rule.tag_status == TagStatus::untagged) return image.tags.empty();
  if (rule.tag_status == TagStatus::any) return true;
  if (image.tags.empty()) return false;
  auto all = [&](const std::vector<std::string>& list, auto match) {
    return std::all_of(list.begin(), list.end(), [&](const std::string& entry) {
      return std::any_of(image.tags.begin(), image.tags.end(),
                         [&](const std::string& tag) { return match(entry, tag); });
    });
  };
  return all(rule.tag_prefixes,
             [](const std::string& p, const std::string& t) { return t.rfind(p, 0) == 0; }) &&
         all(rule.tag_patterns, [](const std::string& p, const std::string& t) {
           // Tiny recursive glob: fine for test-sized inputs.
           std::function<bool(std::size_t, std::size_t)> m = [&](std::size_t i,
                                                                 std::size_t j) -> bool {
             if (i == p.size()) return j == t.size();
             if (p[i] == '*') return m(i + 1, j) || (j < t.size() && m(i, j + 1));
             return j < t.size() && p[i] == t[j] && m(i + 1, j + 1);
           };
           return m(0, 0);
         });
}

TEST(EvaluateProperties, InvariantsHoldForRandomPoliciesAndImages) {
  for (unsigned seed = 1; seed <= 400; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937 rng(seed);
    const Policy policy = random_policy(rng);
    const auto images = random_images(rng);
    const auto verdicts = evaluate_policy(policy, images, k_test_now);
    ASSERT_EQ(verdicts.size(), images.size());
    for (std::size_t i = 0; i < images.size(); ++i) {
      const Verdict& v = verdicts[i];
      const Rule* first = nullptr;
      for (const auto& rule : policy.rules) {
        if (selects(rule, images[i])) {
          first = &rule;
          break;
        }
      }
      if (v.action == VerdictAction::keep) continue;
      // Acted on by exactly one rule, the first (highest-priority) rule that selects it.
      ASSERT_NE(first, nullptr);
      EXPECT_EQ(v.applied_rule_priority(), first->priority);
      if (first->count_type == CountType::image_count_more_than) {
        // Never one of the N newest images the rule selects.
        std::size_t newer = 0;
        for (std::size_t j = 0; j < images.size(); ++j) {
          if (j != i && selects(*first, images[j]) &&
              (images[j].pushed_at > images[i].pushed_at ||
               (images[j].pushed_at == images[i].pushed_at &&
                images[j].digest < images[i].digest))) {
            ++newer;
          }
        }
        EXPECT_GE(static_cast<std::int64_t>(newer), first->count_number);
      } else {
        EXPECT_LT(images[i].pushed_at, k_test_now - first->count_number * k_day);
      }
    }
  }
}

TEST(EvaluateProperties, VerdictsDoNotDependOnInputOrder) {
  for (unsigned seed = 1; seed <= 200; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937 rng(seed);
    const Policy policy = random_policy(rng);
    auto images = random_images(rng);
    const auto before = evaluate_policy(policy, images, k_test_now);
    std::vector<std::size_t> order(images.size());
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);
    std::vector<ImageRecord> shuffled;
    for (auto i : order) shuffled.push_back(images[i]);
    const auto after = evaluate_policy(policy, shuffled, k_test_now);
    for (std::size_t k = 0; k < order.size(); ++k) {
      EXPECT_EQ(after[k].action, before[order[k]].action);
      EXPECT_EQ(after[k].rule_priority, before[order[k]].rule_priority);
      EXPECT_EQ(after[k].rank, before[order[k]].rank);
    }
  }
}

}  // namespace
}  // namespace regsweep
