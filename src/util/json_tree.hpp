// A small JSON parser that keeps where every value came from (line, column), key order and
// duplicate keys, for documents people write by hand (lifecycle policies, configs): its errors can
// then say "policy.json:4:17: rules[0].selection.countUnit: ...". Large machine-written files
// (snapshots) use simdjson instead. Strict RFC 8259: no comments, no trailing commas, max depth 64.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/result.hpp"

namespace regsweep {

struct SourcePos {
  std::uint32_t line = 1;    // 1-based
  std::uint32_t column = 1;  // 1-based, in bytes
};

struct JsonMember;

class JsonNode {
 public:
  enum class Kind { null, boolean, number, string, array, object };

  Kind kind = Kind::null;
  SourcePos pos;
  bool bool_value = false;
  std::string text;  // string value, or the number's literal text (so "1.0" and "1" differ)
  std::vector<JsonNode> items;      // array
  std::vector<JsonMember> members;  // object, in document order (duplicates kept)

  bool is_integer() const;  // a number literal with no fraction or exponent
  // The first member with this key, or nullptr.
  const JsonNode* find(std::string_view key) const;
};

struct JsonMember {
  std::string key;
  JsonNode value;
  SourcePos key_pos;  // where the key starts
};

std::string_view to_string(JsonNode::Kind kind);

// Parses a whole document. On failure the error message is "line:col: problem".
Result<JsonNode> parse_json_tree(std::string_view text);

}  // namespace regsweep
