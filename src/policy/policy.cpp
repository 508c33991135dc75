#include "policy/policy.hpp"

#include <fmt/format.h>

#include "util/json_writer.hpp"

namespace regsweep {
namespace {

void append_string_list(std::string& out, std::string_view key,
                        const std::vector<std::string>& list) {
  out += fmt::format(",\"{}\":[", key);
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i) out += ',';
    append_json_string(out, list[i]);
  }
  out += ']';
}

}  // namespace

std::string_view to_string(TagStatus value) {
  switch (value) {
    case TagStatus::tagged:
      return "tagged";
    case TagStatus::untagged:
      return "untagged";
    case TagStatus::any:
      return "any";
  }
  return "any";
}

std::string_view to_string(CountType value) {
  switch (value) {
    case CountType::image_count_more_than:
      return "imageCountMoreThan";
    case CountType::since_image_pushed:
      return "sinceImagePushed";
    case CountType::since_image_pulled:
      return "sinceImagePulled";
    case CountType::since_image_transitioned:
      return "sinceImageTransitioned";
  }
  return "imageCountMoreThan";
}

std::string_view to_string(ActionType value) {
  return value == ActionType::expire ? "expire" : "transition";
}

std::string_view to_string(StorageClass value) {
  return value == StorageClass::standard ? "standard" : "archive";
}

std::string to_policy_json(const Policy& policy) {
  std::string out = "{\"rules\":[";
  for (std::size_t i = 0; i < policy.rules.size(); ++i) {
    const Rule& rule = policy.rules[i];
    if (i) out += ',';
    out += fmt::format("{{\"rulePriority\":{}", rule.priority);
    if (!rule.description.empty()) {
      out += ",\"description\":";
      append_json_string(out, rule.description);
    }
    out += fmt::format(",\"selection\":{{\"tagStatus\":\"{}\"", to_string(rule.tag_status));
    if (!rule.tag_prefixes.empty()) append_string_list(out, "tagPrefixList", rule.tag_prefixes);
    if (!rule.tag_patterns.empty()) append_string_list(out, "tagPatternList", rule.tag_patterns);
    if (rule.storage_class == StorageClass::archive) out += ",\"storageClass\":\"archive\"";
    out += fmt::format(",\"countType\":\"{}\"", to_string(rule.count_type));
    if (rule.count_type != CountType::image_count_more_than) out += ",\"countUnit\":\"days\"";
    out += fmt::format(",\"countNumber\":{}}}", rule.count_number);
    out += fmt::format(",\"action\":{{\"type\":\"{}\"", to_string(rule.action));
    if (rule.action == ActionType::transition) out += ",\"targetStorageClass\":\"archive\"";
    out += "}}";
  }
  out += "]}";
  return out;
}

}  // namespace regsweep
