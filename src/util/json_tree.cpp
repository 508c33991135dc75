#include "util/json_tree.hpp"

#include <fmt/format.h>

#include "util/utf8.hpp"

namespace regsweep {
namespace {

constexpr int k_max_depth = 64;

class Parser {
 public:
  explicit Parser(std::string_view text) : m_text(text) {}

  Result<JsonNode> parse_document() {
    skip_space();
    JsonNode root;
    if (!parse_value(root, 0)) return fail_result();
    skip_space();
    if (m_pos != m_text.size()) {
      set_error("unexpected text after the JSON document");
      return fail_result();
    }
    return root;
  }

 private:
  std::string_view m_text;
  std::size_t m_pos = 0;
  std::uint32_t m_line = 1;
  std::size_t m_line_start = 0;
  std::string m_error;
  SourcePos m_error_pos;

  SourcePos here() const {
    return SourcePos{m_line, static_cast<std::uint32_t>(m_pos - m_line_start + 1)};
  }

  bool set_error(std::string message) {
    if (m_error.empty()) {
      m_error = std::move(message);
      m_error_pos = here();
    }
    return false;
  }

  Result<JsonNode> fail_result() const {
    return make_error(ErrorCode::invalid_input,
                      fmt::format("{}:{}: {}", m_error_pos.line, m_error_pos.column, m_error));
  }

  void skip_space() {
    while (m_pos < m_text.size()) {
      const char c = m_text[m_pos];
      if (c == '\n') {
        ++m_pos;
        ++m_line;
        m_line_start = m_pos;
      } else if (c == ' ' || c == '\t' || c == '\r') {
        ++m_pos;
      } else {
        break;
      }
    }
  }

  bool consume_literal(std::string_view word) {
    if (m_text.substr(m_pos, word.size()) != word)
      return set_error("invalid literal; expected a JSON value");
    m_pos += word.size();
    return true;
  }

  bool parse_value(JsonNode& out, int depth) {
    if (depth > k_max_depth) return set_error("JSON nested too deeply");
    if (m_pos >= m_text.size()) return set_error("unexpected end of input; expected a JSON value");
    out.pos = here();
    switch (m_text[m_pos]) {
      case '{':
        return parse_object(out, depth);
      case '[':
        return parse_array(out, depth);
      case '"':
        out.kind = JsonNode::Kind::string;
        return parse_string(out.text);
      case 't':
        out.kind = JsonNode::Kind::boolean;
        out.bool_value = true;
        return consume_literal("true");
      case 'f':
        out.kind = JsonNode::Kind::boolean;
        return consume_literal("false");
      case 'n':
        out.kind = JsonNode::Kind::null;
        return consume_literal("null");
      default:
        out.kind = JsonNode::Kind::number;
        return parse_number(out.text);
    }
  }

  bool parse_object(JsonNode& out, int depth) {
    out.kind = JsonNode::Kind::object;
    ++m_pos;  // '{'
    skip_space();
    if (m_pos < m_text.size() && m_text[m_pos] == '}') {
      ++m_pos;
      return true;
    }
    while (true) {
      skip_space();
      if (m_pos >= m_text.size() || m_text[m_pos] != '"')
        return set_error("expected '\"' to start a key");
      const SourcePos key_pos = here();
      std::string key;
      if (!parse_string(key)) return false;
      skip_space();
      if (m_pos >= m_text.size() || m_text[m_pos] != ':')
        return set_error("expected ':' after a key");
      ++m_pos;
      skip_space();
      JsonNode value;
      if (!parse_value(value, depth + 1)) return false;
      out.members.push_back(JsonMember{std::move(key), std::move(value), key_pos});
      skip_space();
      if (m_pos >= m_text.size()) return set_error("unexpected end of input; expected ',' or '}'");
      if (m_text[m_pos] == ',') {
        ++m_pos;
        continue;
      }
      if (m_text[m_pos] == '}') {
        ++m_pos;
        return true;
      }
      return set_error("expected ',' or '}'");
    }
  }

  bool parse_array(JsonNode& out, int depth) {
    out.kind = JsonNode::Kind::array;
    ++m_pos;  // '['
    skip_space();
    if (m_pos < m_text.size() && m_text[m_pos] == ']') {
      ++m_pos;
      return true;
    }
    while (true) {
      skip_space();
      JsonNode item;
      if (!parse_value(item, depth + 1)) return false;
      out.items.push_back(std::move(item));
      skip_space();
      if (m_pos >= m_text.size()) return set_error("unexpected end of input; expected ',' or ']'");
      if (m_text[m_pos] == ',') {
        ++m_pos;
        continue;
      }
      if (m_text[m_pos] == ']') {
        ++m_pos;
        return true;
      }
      return set_error("expected ',' or ']'");
    }
  }

  bool parse_hex4(unsigned& out) {
    if (m_pos + 4 > m_text.size()) return set_error("truncated \\u escape");
    out = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = m_text[m_pos++];
      out <<= 4;
      if (c >= '0' && c <= '9')
        out |= static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f')
        out |= static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        out |= static_cast<unsigned>(c - 'A' + 10);
      else
        return set_error("invalid hex digit in \\u escape");
    }
    return true;
  }

  static void append_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  bool parse_string(std::string& out) {
    ++m_pos;  // opening quote
    while (true) {
      if (m_pos >= m_text.size()) return set_error("unterminated string");
      const char c = m_text[m_pos];
      if (c == '"') {
        ++m_pos;
        return true;
      }
      if (static_cast<unsigned char>(c) < 0x20)
        return set_error("control character in string; escape it");
      if (c != '\\') {
        if (static_cast<unsigned char>(c) >= 0x80) {
          // RFC 8259 text is UTF-8, and ECR refuses anything else: check each sequence here, so
          // an invalid byte is reported where it is instead of being passed on (and written
          // into JSON that nothing can read back).
          const std::size_t length = utf8_sequence_length(m_text.substr(m_pos, 4));
          if (length == 0) return set_error("not valid UTF-8; save the file as UTF-8");
          out.append(m_text.data() + m_pos, length);
          m_pos += length;
          continue;
        }
        out += c;
        ++m_pos;
        continue;
      }
      ++m_pos;
      if (m_pos >= m_text.size()) return set_error("unterminated escape");
      const char e = m_text[m_pos++];
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          unsigned cp = 0;
          if (!parse_hex4(cp)) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            unsigned low = 0;
            if (m_text.substr(m_pos, 2) != "\\u")
              return set_error("unpaired surrogate in \\u escape");
            m_pos += 2;
            if (!parse_hex4(low)) return false;
            if (low < 0xDC00 || low > 0xDFFF)
              return set_error("invalid surrogate pair in \\u escape");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return set_error("unpaired surrogate in \\u escape");
          }
          append_utf8(out, cp);
          break;
        }
        default:
          --m_pos;
          return set_error("invalid escape in string");
      }
    }
  }

  static bool is_digit(char c) { return c >= '0' && c <= '9'; }

  bool parse_number(std::string& out) {
    const std::size_t start = m_pos;
    if (m_pos < m_text.size() && m_text[m_pos] == '-') ++m_pos;
    if (m_pos >= m_text.size() || !is_digit(m_text[m_pos])) {
      m_pos = start;
      return set_error("expected a JSON value");
    }
    if (m_text[m_pos] == '0') {
      ++m_pos;
    } else {
      while (m_pos < m_text.size() && is_digit(m_text[m_pos])) ++m_pos;
    }
    if (m_pos < m_text.size() && m_text[m_pos] == '.') {
      ++m_pos;
      if (m_pos >= m_text.size() || !is_digit(m_text[m_pos]))
        return set_error("expected a digit after '.'");
      while (m_pos < m_text.size() && is_digit(m_text[m_pos])) ++m_pos;
    }
    if (m_pos < m_text.size() && (m_text[m_pos] == 'e' || m_text[m_pos] == 'E')) {
      ++m_pos;
      if (m_pos < m_text.size() && (m_text[m_pos] == '+' || m_text[m_pos] == '-')) ++m_pos;
      if (m_pos >= m_text.size() || !is_digit(m_text[m_pos]))
        return set_error("expected a digit in the exponent");
      while (m_pos < m_text.size() && is_digit(m_text[m_pos])) ++m_pos;
    }
    out.assign(m_text.substr(start, m_pos - start));
    return true;
  }
};

}  // namespace

bool JsonNode::is_integer() const {
  return kind == Kind::number && text.find_first_of(".eE") == std::string::npos;
}

const JsonNode* JsonNode::find(std::string_view key) const {
  for (const auto& member : members) {
    if (member.key == key) return &member.value;
  }
  return nullptr;
}

std::string_view to_string(JsonNode::Kind kind) {
  switch (kind) {
    case JsonNode::Kind::null:
      return "null";
    case JsonNode::Kind::boolean:
      return "a boolean";
    case JsonNode::Kind::number:
      return "a number";
    case JsonNode::Kind::string:
      return "a string";
    case JsonNode::Kind::array:
      return "an array";
    case JsonNode::Kind::object:
      return "an object";
  }
  return "a value";
}

Result<JsonNode> parse_json_tree(std::string_view text) {
  return Parser(text).parse_document();
}

}  // namespace regsweep
