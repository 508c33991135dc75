#include "policy/parse.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <limits>
#include <map>
#include <set>

#include "util/ascii.hpp"
#include "util/json_tree.hpp"

namespace regsweep {
namespace {

// ECR stores rulePriority and countNumber as 32-bit integers; larger values cannot be real input.
constexpr std::int64_t k_max_int32 = std::numeric_limits<std::int32_t>::max();
// "You cannot configure lifecycle policies that delete images that have been in archive for less
// than 90 days" (spec 1.4.7, 6.2).
constexpr std::int64_t k_min_archive_days = 90;

std::size_t count_code_points(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// Characters a Docker/OCI tag may contain; a prefix or pattern with anything else never matches.
bool is_tag_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

class Validator {
 public:
  explicit Validator(std::string source) : m_source(std::move(source)) {}

  void add(const SourcePos& pos, const std::string& path, const std::string& problem) {
    m_errors.push_back(
        fmt::format("{}:{}:{}: {}: {}", m_source, pos.line, pos.column, path, problem));
  }
  bool failed() const { return !m_errors.empty(); }

  Error to_error() const {
    std::string message;
    for (const auto& line : m_errors) {
      if (!message.empty()) message += '\n';
      message += line;
    }
    return make_error(ErrorCode::invalid_input, std::move(message));
  }

  // Unknown keys, nulls and duplicate keys of an object, against the keys it may have.
  void check_members(const JsonNode& object, const std::string& path,
                     std::initializer_list<std::string_view> allowed) {
    std::set<std::string_view> seen;
    for (std::size_t i = 0; i < object.members.size(); ++i) {
      const auto& [key, value, key_pos] = object.members[i];
      const std::string member_path = path.empty() ? key : path + "." + key;
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        std::string known;
        for (auto k : allowed) known += (known.empty() ? "" : ", ") + std::string(k);
        add(key_pos, member_path,
            fmt::format("unknown key \"{}\"; ECR rejects it. Allowed here: {}", key, known));
      } else if (!seen.insert(key).second) {
        add(key_pos, member_path, "the key appears twice; keep one");
      } else if (value.kind == JsonNode::Kind::null) {
        add(value.pos, member_path, "null is not allowed (ECR rejects it); remove the key instead");
      }
    }
  }

  // The member's value if present and of the wanted kind; reports a wrong kind.
  const JsonNode* member(const JsonNode& object, std::string_view key, const std::string& path,
                         JsonNode::Kind kind) {
    const JsonNode* value = object.find(key);
    if (value == nullptr || value->kind == JsonNode::Kind::null) return nullptr;
    if (value->kind != kind) {
      add(value->pos, path + "." + std::string(key),
          fmt::format("must be {}, not {}", to_string(kind), to_string(value->kind)));
      return nullptr;
    }
    return value;
  }

  std::optional<std::int64_t> integer(const JsonNode& node, const std::string& path,
                                      std::int64_t min, std::int64_t max, std::string_view fix) {
    std::int64_t value = 0;
    const auto* end = node.text.data() + node.text.size();
    const auto [ptr, ec] = std::from_chars(node.text.data(), end, value);
    if (!node.is_integer() || ec != std::errc() || ptr != end) {
      add(node.pos, path, fmt::format("must be a whole number, not {}; {}", node.text, fix));
      return std::nullopt;
    }
    if (value < min || value > max) {
      add(node.pos, path, fmt::format("{} is out of range {}..{}; {}", value, min, max, fix));
      return std::nullopt;
    }
    return value;
  }

 private:
  std::string m_source;
  std::vector<std::string> m_errors;
};

template <class Enum>
struct EnumName {
  std::string_view name;
  Enum value;
};

template <class Enum, std::size_t N>
std::optional<Enum> parse_enum(Validator& v, const JsonNode& node, const std::string& path,
                               const EnumName<Enum> (&names)[N]) {
  for (const auto& entry : names) {
    if (node.text == entry.name) return entry.value;
  }
  std::string choices;
  for (const auto& entry : names)
    choices += (choices.empty() ? "\"" : ", \"") + std::string(entry.name) + "\"";
  std::string hint;
  for (const auto& entry : names) {
    if (ascii_iequals(node.text, entry.name))
      hint = fmt::format(" (values are case-sensitive: write \"{}\")", entry.name);
  }
  v.add(node.pos, path, fmt::format("\"{}\" is not one of {}{}", node.text, choices, hint));
  return std::nullopt;
}

constexpr EnumName<TagStatus> k_tag_statuses[] = {
    {"tagged", TagStatus::tagged}, {"untagged", TagStatus::untagged}, {"any", TagStatus::any}};
constexpr EnumName<CountType> k_count_types[] = {
    {"imageCountMoreThan", CountType::image_count_more_than},
    {"sinceImagePushed", CountType::since_image_pushed},
    {"sinceImagePulled", CountType::since_image_pulled},
    {"sinceImageTransitioned", CountType::since_image_transitioned}};
constexpr EnumName<StorageClass> k_storage_classes[] = {{"standard", StorageClass::standard},
                                                        {"archive", StorageClass::archive}};
constexpr EnumName<ActionType> k_action_types[] = {{"expire", ActionType::expire},
                                                   {"transition", ActionType::transition}};

// Which fields of a rule parsed, so a problem in one field never hides the checks of the others
// (README: every problem of every rule is reported).
struct KnownFields {
  bool tag_status = false;
  bool storage_class = true;  // absent means standard
  bool count_type = false;
  bool count_number = false;
  bool action = false;
};

struct Located {
  Rule rule;
  SourcePos pos;
  std::string path;
  bool complete = false;  // every required field parsed; cross-rule checks use only these
};

class PolicyParser {
 public:
  explicit PolicyParser(std::string source) : m_v(std::move(source)) {}

  Result<Policy> parse(std::string_view text) {
    const std::size_t chars = count_code_points(text);
    if (chars > k_max_policy_chars) {
      m_v.add(
          {1, 1}, "(policy)",
          fmt::format("the policy is {} characters; ECR allows at most {}. Remove or merge rules, "
                      "or shorten descriptions",
                      chars, k_max_policy_chars));
      return m_v.to_error();
    }
    auto root = parse_json_tree(text);
    if (!root) {
      m_v.add({1, 1}, "(policy)", fmt::format("not valid JSON: {}", root.error().message));
      return m_v.to_error();
    }
    if (chars < k_min_policy_chars) {
      m_v.add({1, 1}, "(policy)",
              fmt::format("the policy is {} characters; ECR requires at least {} "
                          "(\"Member must have length greater than or equal to 100\")",
                          chars, k_min_policy_chars));
    }
    parse_root(*root);
    if (m_v.failed()) return m_v.to_error();
    Policy policy;
    for (auto& located : m_rules) policy.rules.push_back(std::move(located.rule));
    std::sort(policy.rules.begin(), policy.rules.end(),
              [](const Rule& a, const Rule& b) { return a.priority < b.priority; });
    return policy;
  }

 private:
  Validator m_v;
  std::vector<Located> m_rules;

  void parse_root(const JsonNode& root) {
    if (root.kind != JsonNode::Kind::object) {
      m_v.add(root.pos, "(policy)",
              fmt::format("must be an object {{\"rules\": [...]}}, not {}", to_string(root.kind)));
      return;
    }
    m_v.check_members(root, "", {"rules"});
    const JsonNode* rules = root.find("rules");
    if (rules == nullptr) {
      m_v.add(root.pos, "rules", "missing; a policy is {\"rules\": [ ...one or more rules... ]}");
      return;
    }
    if (rules->kind != JsonNode::Kind::array) {
      if (rules->kind != JsonNode::Kind::null)
        m_v.add(rules->pos, "rules",
                fmt::format("must be an array, not {}", to_string(rules->kind)));
      return;
    }
    if (rules->items.empty()) {
      m_v.add(rules->pos, "rules",
              "is empty; add at least one rule (an empty policy would do nothing)");
    }
    if (rules->items.size() > k_max_rules) {
      m_v.add(rules->pos, "rules",
              fmt::format(
                  "has {} rules; ECR allows at most {} per policy (not adjustable). Merge rules",
                  rules->items.size(), k_max_rules));
    }
    for (std::size_t i = 0; i < rules->items.size(); ++i)
      parse_rule(rules->items[i], fmt::format("rules[{}]", i));
    check_across_rules();
  }

  void parse_rule(const JsonNode& node, const std::string& path) {
    if (node.kind != JsonNode::Kind::object) {
      m_v.add(node.pos, path, fmt::format("must be an object, not {}", to_string(node.kind)));
      return;
    }
    m_v.check_members(node, path, {"rulePriority", "description", "selection", "action"});
    Located located{{}, node.pos, path, false};
    Rule& rule = located.rule;
    KnownFields known;
    bool ok = true;
    if (const JsonNode* p = m_v.member(node, "rulePriority", path, JsonNode::Kind::number)) {
      auto value = m_v.integer(*p, path + ".rulePriority", 1, k_max_int32,
                               "use a whole number from 1 up; lower runs first");
      ok &= value.has_value();
      rule.priority = value.value_or(0);
    } else {
      ok = false;
      if (node.find("rulePriority") == nullptr)
        m_v.add(node.pos, path + ".rulePriority",
                "missing; add \"rulePriority\": N (unique, 1 is applied first)");
    }
    if (const JsonNode* d = m_v.member(node, "description", path, JsonNode::Kind::string))
      rule.description = d->text;
    const JsonNode* selection = m_v.member(node, "selection", path, JsonNode::Kind::object);
    if (selection == nullptr) {
      ok = false;
      if (node.find("selection") == nullptr)
        m_v.add(node.pos, path + ".selection",
                "missing; add \"selection\": {\"tagStatus\": ..., \"countType\": ..., "
                "\"countNumber\": ...}");
    } else {
      ok &= parse_selection(*selection, path + ".selection", rule, known);
    }
    const JsonNode* action = m_v.member(node, "action", path, JsonNode::Kind::object);
    if (action == nullptr) {
      ok = false;
      if (node.find("action") == nullptr)
        m_v.add(node.pos, path + ".action", "missing; add \"action\": {\"type\": \"expire\"}");
    } else {
      ok &= parse_action(*action, path + ".action", rule, known);
    }
    if (selection != nullptr) ok &= check_combination(*selection, action, path, rule, known);
    located.complete = ok;
    m_rules.push_back(std::move(located));
  }

  bool parse_tag_list(const JsonNode& list, const std::string& path, bool patterns,
                      std::vector<std::string>& out) {
    if (list.items.empty()) {
      m_v.add(list.pos, path,
              "is empty; list at least one tag prefix/pattern, or use tagStatus \"any\"");
      return false;
    }
    bool ok = true;
    for (std::size_t i = 0; i < list.items.size(); ++i) {
      const JsonNode& item = list.items[i];
      const std::string item_path = fmt::format("{}[{}]", path, i);
      if (item.kind != JsonNode::Kind::string) {
        m_v.add(item.pos, item_path, fmt::format("must be a string, not {}", to_string(item.kind)));
        ok = false;
        continue;
      }
      if (item.text.empty()) {
        m_v.add(item.pos, item_path,
                patterns ? "is empty and matches no tag; use \"*\" for every tag"
                         : "is empty; to select every tagged image use tagPatternList [\"*\"]");
        ok = false;
        continue;
      }
      const auto stars =
          static_cast<std::size_t>(std::count(item.text.begin(), item.text.end(), '*'));
      if (patterns && stars > k_max_pattern_wildcards) {
        m_v.add(item.pos, item_path,
                fmt::format("has {} wildcards (*); ECR allows at most {} per pattern", stars,
                            k_max_pattern_wildcards));
        ok = false;
      }
      const auto bad = std::find_if(item.text.begin(), item.text.end(), [patterns](char c) {
        return !is_tag_char(c) && !(patterns && c == '*');
      });
      if (bad != item.text.end()) {
        m_v.add(
            item.pos, item_path,
            !patterns && *bad == '*'
                ? std::string("prefixes are literal and cannot contain '*'; use tagPatternList for "
                              "wildcards")
                : fmt::format(
                      "contains '{}', which no image tag can contain (tags use A-Z a-z 0-9 _ . -)",
                      *bad));
        ok = false;
      }
      out.push_back(item.text);
    }
    return ok;
  }

  bool parse_selection(const JsonNode& node, const std::string& path, Rule& rule,
                       KnownFields& known) {
    m_v.check_members(node, path,
                      {"tagStatus", "tagPrefixList", "tagPatternList", "storageClass", "countType",
                       "countUnit", "countNumber"});
    bool ok = true;
    if (const JsonNode* s = m_v.member(node, "tagStatus", path, JsonNode::Kind::string)) {
      auto value = parse_enum(m_v, *s, path + ".tagStatus", k_tag_statuses);
      ok &= value.has_value();
      known.tag_status = value.has_value();
      if (value) rule.tag_status = *value;
    } else {
      ok = false;
      if (node.find("tagStatus") == nullptr)
        m_v.add(node.pos, path + ".tagStatus",
                "missing; add \"tagStatus\": \"tagged\", \"untagged\" or \"any\"");
    }
    const JsonNode* prefixes = m_v.member(node, "tagPrefixList", path, JsonNode::Kind::array);
    const JsonNode* patterns = m_v.member(node, "tagPatternList", path, JsonNode::Kind::array);
    if (prefixes)
      ok &= parse_tag_list(*prefixes, path + ".tagPrefixList", false, rule.tag_prefixes);
    if (patterns)
      ok &= parse_tag_list(*patterns, path + ".tagPatternList", true, rule.tag_patterns);
    if (known.tag_status && rule.tag_status == TagStatus::tagged) {
      if (prefixes && patterns) {
        m_v.add(
            patterns->pos, path + ".tagPatternList",
            "a rule may have tagPrefixList or tagPatternList, not both; split it into two rules");
        ok = false;
      } else if (!prefixes && !patterns) {
        m_v.add(
            node.pos, path + ".tagStatus",
            "\"tagged\" needs tagPrefixList or tagPatternList (\"Must specify tagPrefixList or "
            "tagPatternList when tagStatus=TAGGED\"); add one, e.g. \"tagPatternList\": [\"*\"]");
        ok = false;
      }
    } else if (known.tag_status && (prefixes || patterns)) {
      const JsonNode* list = prefixes ? prefixes : patterns;
      m_v.add(list->pos, path + (prefixes ? ".tagPrefixList" : ".tagPatternList"),
              fmt::format("only allowed with tagStatus \"tagged\", not \"{}\"; remove the list or "
                          "set tagStatus to \"tagged\"",
                          to_string(rule.tag_status)));
      ok = false;
    }
    if (const JsonNode* c = m_v.member(node, "storageClass", path, JsonNode::Kind::string)) {
      auto value = parse_enum(m_v, *c, path + ".storageClass", k_storage_classes);
      ok &= value.has_value();
      known.storage_class = value.has_value();
      if (value) rule.storage_class = *value;
    } else if (node.find("storageClass") != nullptr &&
               node.find("storageClass")->kind != JsonNode::Kind::null) {
      known.storage_class = false;  // not a string: reported by member()
    }
    if (const JsonNode* t = m_v.member(node, "countType", path, JsonNode::Kind::string)) {
      auto value = parse_enum(m_v, *t, path + ".countType", k_count_types);
      ok &= value.has_value();
      known.count_type = value.has_value();
      if (value) rule.count_type = *value;
    } else {
      ok = false;
      if (node.find("countType") == nullptr)
        m_v.add(node.pos, path + ".countType",
                "missing; add \"countType\": \"imageCountMoreThan\" or \"sinceImagePushed\" (or "
                "sinceImagePulled, sinceImageTransitioned)");
    }
    if (const JsonNode* n = m_v.member(node, "countNumber", path, JsonNode::Kind::number)) {
      auto value = m_v.integer(*n, path + ".countNumber", 1, k_max_int32,
                               "countNumber is a positive whole number (0 is not accepted)");
      ok &= value.has_value();
      known.count_number = value.has_value();
      rule.count_number = value.value_or(0);
    } else {
      ok = false;
      if (node.find("countNumber") == nullptr)
        m_v.add(node.pos, path + ".countNumber",
                "missing; add \"countNumber\": N (images to keep, or days)");
    }
    return ok;
  }

  bool parse_action(const JsonNode& node, const std::string& path, Rule& rule, KnownFields& known) {
    m_v.check_members(node, path, {"type", "targetStorageClass"});
    bool ok = true;
    if (const JsonNode* t = m_v.member(node, "type", path, JsonNode::Kind::string)) {
      auto value = parse_enum(m_v, *t, path + ".type", k_action_types);
      ok &= value.has_value();
      known.action = value.has_value();
      if (value) rule.action = *value;
    } else {
      ok = false;
      if (node.find("type") == nullptr)
        m_v.add(node.pos, path + ".type", "missing; add \"type\": \"expire\" (or \"transition\")");
    }
    const JsonNode* target = m_v.member(node, "targetStorageClass", path, JsonNode::Kind::string);
    const bool target_ok = target == nullptr || target->text == "archive";
    if (!target_ok) {
      m_v.add(target->pos, path + ".targetStorageClass",
              fmt::format("\"{}\" is not supported; the only value is \"archive\"", target->text));
      ok = false;
    }
    if (known.action && rule.action == ActionType::transition && target == nullptr &&
        node.find("targetStorageClass") == nullptr) {
      m_v.add(node.pos, path + ".targetStorageClass",
              "missing; a transition needs \"targetStorageClass\": \"archive\"");
      ok = false;
    }
    if (known.action && target_ok && rule.action == ActionType::expire && target != nullptr) {
      m_v.add(target->pos, path + ".targetStorageClass",
              "only allowed with type \"transition\"; remove it from an expire action");
      ok = false;
    }
    return ok;
  }

  // countUnit, storageClass and action must fit the countType (spec 1.4.4, 1.4.6, 1.5.3). Each
  // check runs when the fields it compares parsed, whatever else is wrong with the rule.
  bool check_combination(const JsonNode& selection, const JsonNode* action_node,
                         const std::string& path, Rule& rule, const KnownFields& known) {
    if (!known.count_type) return true;
    bool ok = true;
    const std::string sel = path + ".selection";
    const JsonNode& action = action_node ? *action_node : selection;
    const bool action_known = action_node != nullptr && known.action;
    const JsonNode* unit = selection.find("countUnit");
    const bool by_days = rule.count_type != CountType::image_count_more_than;
    if (by_days) {
      if (unit == nullptr) {
        m_v.add(
            selection.pos, sel + ".countUnit",
            fmt::format("missing; {} needs \"countUnit\": \"days\"", to_string(rule.count_type)));
        ok = false;
      } else if (unit->kind == JsonNode::Kind::string && unit->text != "days") {
        m_v.add(unit->pos, sel + ".countUnit",
                fmt::format("\"{}\" is not supported; the only unit is \"days\"", unit->text));
        ok = false;
      } else if (unit->kind != JsonNode::Kind::string && unit->kind != JsonNode::Kind::null) {
        m_v.add(unit->pos, sel + ".countUnit", "must be the string \"days\"");
        ok = false;
      }
    } else if (unit != nullptr && unit->kind != JsonNode::Kind::null) {
      m_v.add(unit->pos, sel + ".countUnit",
              "not allowed with imageCountMoreThan (countNumber is a number of images); remove it");
      ok = false;
    }
    const JsonNode* storage = selection.find("storageClass");
    if (rule.count_type == CountType::since_image_transitioned) {
      if (storage == nullptr) {
        m_v.add(selection.pos, sel + ".storageClass",
                "missing; sinceImageTransitioned needs \"storageClass\": \"archive\"");
        ok = false;
      } else if (known.storage_class && rule.storage_class != StorageClass::archive) {
        m_v.add(storage->pos, sel + ".storageClass",
                "sinceImageTransitioned only applies to \"archive\"");
        ok = false;
      }
      if (action_known && rule.action != ActionType::expire) {
        m_v.add(action.pos, path + ".action.type",
                "sinceImageTransitioned can only \"expire\" (archived images cannot be "
                "transitioned again)");
        ok = false;
      }
      if (known.count_number && rule.count_number < k_min_archive_days) {
        m_v.add(
            selection.find("countNumber")->pos, sel + ".countNumber",
            fmt::format(
                "{} days is too short: archived images must stay at least {} days; use {} or more",
                rule.count_number, k_min_archive_days, k_min_archive_days));
        ok = false;
      }
    } else if (known.storage_class && storage != nullptr &&
               rule.storage_class == StorageClass::archive) {
      m_v.add(storage->pos, sel + ".storageClass",
              fmt::format("\"archive\" only works with countType sinceImageTransitioned, not {}; "
                          "use \"standard\" or remove it",
                          to_string(rule.count_type)));
      ok = false;
    }
    if (action_known && rule.count_type == CountType::since_image_pulled &&
        rule.action == ActionType::expire) {
      m_v.add(action.pos, path + ".action.type",
              "sinceImagePulled cannot \"expire\" (ECR allows only \"transition\" to archive with "
              "it); use sinceImagePushed to expire");
      ok = false;
    }
    return ok;
  }

  void check_across_rules() {
    std::map<std::int64_t, const Located*> by_priority;
    for (const auto& r : m_rules) {
      if (r.rule.priority == 0) continue;
      auto [it, inserted] = by_priority.emplace(r.rule.priority, &r);
      if (!inserted) {
        m_v.add(r.pos, r.path + ".rulePriority",
                fmt::format("{} is already used by {}; every rule needs a unique rulePriority",
                            r.rule.priority, it->second->path));
      }
    }
    for (const StorageClass storage : {StorageClass::standard, StorageClass::archive}) {
      const Located* untagged = nullptr;
      const Located* any = nullptr;
      std::int64_t highest = 0;
      for (const auto& r : m_rules) {
        if (!r.complete || r.rule.storage_class != storage) continue;
        highest = std::max(highest, r.rule.priority);
        if (r.rule.tag_status == TagStatus::untagged) {
          if (untagged) {
            m_v.add(
                r.pos, r.path + ".selection.tagStatus",
                fmt::format(
                    "only one rule per storage class may select untagged images (\"Only one rule "
                    "can select Untagged images per storage class\"); {} already does. Merge them",
                    untagged->path));
          }
          untagged = untagged ? untagged : &r;
        }
        if (r.rule.tag_status == TagStatus::any) {
          if (any) {
            m_v.add(
                r.pos, r.path + ".selection.tagStatus",
                fmt::format(
                    "only one rule per storage class may use tagStatus \"any\"; {} already does",
                    any->path));
          }
          any = any ? any : &r;
        }
      }
      if (any && any->rule.priority != highest) {
        m_v.add(any->pos, any->path + ".rulePriority",
                fmt::format("a tagStatus \"any\" rule must have the highest rulePriority of its "
                            "storage class (\"Rule for tagStatus=ANY must have the lowest priority "
                            "per storage class\"); give it a number above {}",
                            highest));
      }
    }
  }
};

// `aws ecr get-lifecycle-policy` prints {"registryId", "repositoryName", "lifecyclePolicyText",
// "lastEvaluatedAt"}; the policy is the string inside.
std::optional<std::string> unwrap_get_lifecycle_policy_output(std::string_view text) {
  auto root = parse_json_tree(text);
  if (!root || root->kind != JsonNode::Kind::object) return std::nullopt;
  const JsonNode* inner = root->find("lifecyclePolicyText");
  if (inner == nullptr || inner->kind != JsonNode::Kind::string) return std::nullopt;
  // Twice is ambiguous: not unwrapped, so the policy check reports the repeated key.
  const auto count = std::count_if(root->members.begin(), root->members.end(),
                                   [](const auto& m) { return m.key == "lifecyclePolicyText"; });
  if (count != 1) return std::nullopt;
  return inner->text;
}

}  // namespace

Result<Policy> parse_policy(std::string_view text, std::string_view source_name) {
  if (auto inner = unwrap_get_lifecycle_policy_output(text)) {
    return PolicyParser(fmt::format("{} (lifecyclePolicyText)", source_name)).parse(*inner);
  }
  return PolicyParser(std::string(source_name)).parse(text);
}

}  // namespace regsweep
