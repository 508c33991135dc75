#include "policy/diff.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "policy/explain.hpp"

namespace regsweep {
namespace {

// A rule with its tag lists sorted: the lists are AND-ed, so their order means nothing.
Rule normalized(Rule rule) {
  std::sort(rule.tag_prefixes.begin(), rule.tag_prefixes.end());
  std::sort(rule.tag_patterns.begin(), rule.tag_patterns.end());
  return rule;
}

bool same_rule(const Rule& a, const Rule& b) {
  const Rule x = normalized(a), y = normalized(b);
  return x.priority == y.priority && x.description == y.description &&
         x.tag_status == y.tag_status && x.tag_prefixes == y.tag_prefixes &&
         x.tag_patterns == y.tag_patterns && x.storage_class == y.storage_class &&
         x.count_type == y.count_type && x.count_number == y.count_number && x.action == y.action;
}

std::map<std::int64_t, const Rule*> by_priority(const Policy& policy) {
  std::map<std::int64_t, const Rule*> out;
  for (const auto& rule : policy.rules) out.emplace(rule.priority, &rule);
  return out;
}

}  // namespace

std::string_view to_string(PolicyChange change) {
  switch (change) {
    case PolicyChange::unchanged:
      return "unchanged";
    case PolicyChange::create:
      return "create";
    case PolicyChange::update:
      return "update";
  }
  return "update";
}

std::string describe_rule(const Rule& rule) {
  std::string text;
  if (rule.count_type == CountType::image_count_more_than) {
    text = fmt::format("rule {}: {} {} beyond the {} newest", rule.priority, to_string(rule.action),
                       describe_selection(rule), rule.count_number);
  } else {
    const char* since = rule.count_type == CountType::since_image_pulled         ? "last pulled"
                        : rule.count_type == CountType::since_image_transitioned ? "archived"
                                                                                 : "pushed";
    text = fmt::format("rule {}: {} {} {} more than {} days ago", rule.priority,
                       to_string(rule.action), describe_selection(rule), since, rule.count_number);
  }
  if (!rule.description.empty()) text += fmt::format(" (\"{}\")", rule.description);
  return text;
}

bool equivalent(const Policy& a, const Policy& b) {
  if (a.rules.size() != b.rules.size()) return false;
  const auto x = by_priority(a), y = by_priority(b);
  return std::equal(x.begin(), x.end(), y.begin(), y.end(), [](const auto& l, const auto& r) {
    return l.first == r.first && same_rule(*l.second, *r.second);
  });
}

PolicyDiff diff_policies(const std::optional<Policy>& current, const Policy& wanted) {
  PolicyDiff diff;
  if (!current) {
    diff.change = PolicyChange::create;
    for (const auto& rule : wanted.rules) diff.lines.push_back("+ " + describe_rule(rule));
    return diff;
  }
  if (equivalent(*current, wanted)) return diff;
  diff.change = PolicyChange::update;
  const auto old_rules = by_priority(*current), new_rules = by_priority(wanted);
  std::map<std::int64_t, bool> priorities;
  for (const auto& [p, _] : old_rules) priorities[p] = true;
  for (const auto& [p, _] : new_rules) priorities[p] = true;
  for (const auto& [priority, _] : priorities) {
    const auto o = old_rules.find(priority);
    const auto n = new_rules.find(priority);
    if (o != old_rules.end() && n != new_rules.end()) {
      if (same_rule(*o->second, *n->second)) continue;
      diff.lines.push_back("- " + describe_rule(*o->second));
      diff.lines.push_back("+ " + describe_rule(*n->second));
    } else if (o != old_rules.end()) {
      diff.lines.push_back("- " + describe_rule(*o->second));
    } else {
      diff.lines.push_back("+ " + describe_rule(*n->second));
    }
  }
  return diff;
}

}  // namespace regsweep
