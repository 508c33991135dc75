// An ECR lifecycle policy, parsed and validated. Field names follow the policy JSON; values are
// enums. A Policy value is always valid: the only way to make one from text is parse_policy().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/image.hpp"

namespace regsweep {

enum class TagStatus { tagged, untagged, any };
enum class CountType {
  image_count_more_than,
  since_image_pushed,
  since_image_pulled,
  since_image_transitioned
};
enum class ActionType { expire, transition };

struct Rule {
  std::int64_t priority = 0;  // rulePriority; lower runs first
  std::string description;
  TagStatus tag_status = TagStatus::any;
  std::vector<std::string> tag_prefixes;  // tagPrefixList (literal prefixes)
  std::vector<std::string> tag_patterns;  // tagPatternList (anchored globs, '*' only)
  StorageClass storage_class = StorageClass::standard;
  CountType count_type = CountType::image_count_more_than;
  std::int64_t count_number = 0;  // images for imageCountMoreThan, else days
  ActionType action = ActionType::expire;
};

struct Policy {
  std::vector<Rule> rules;  // sorted by priority, ascending
};

std::string_view to_string(TagStatus value);     // "tagged"
std::string_view to_string(CountType value);     // "imageCountMoreThan"
std::string_view to_string(ActionType value);    // "expire"
std::string_view to_string(StorageClass value);  // "standard"

// The policy as canonical ECR JSON (rules sorted by priority, fixed key order, compact). Two
// policies are semantically equal when these strings are equal.
std::string to_policy_json(const Policy& policy);

}  // namespace regsweep
