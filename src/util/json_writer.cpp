#include "util/json_writer.hpp"

#include <charconv>
#include <cmath>

namespace regsweep {

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char k_hex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t run_start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + run_start, i - run_start);
    run_start = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        out += "\\u00";
        out.push_back(k_hex[c >> 4]);
        out.push_back(k_hex[c & 0xF]);
    }
  }
  out.append(text.data() + run_start, text.size() - run_start);
  out.push_back('"');
}

JsonWriter::JsonWriter(Sink sink, std::size_t flush_bytes)
    : m_sink(std::move(sink)), m_flush_bytes(flush_bytes) {
  if (m_sink) m_buf.reserve(flush_bytes + 4096);
}

void JsonWriter::before_value() {
  if (m_after_key) {
    m_after_key = false;
    return;
  }
  if (!m_need_comma.empty()) {
    if (m_need_comma.back()) m_buf.push_back(',');
    m_need_comma.back() = 1;
  }
  if (m_newline) {
    m_buf.push_back('\n');
    m_newline = false;
  }
}

void JsonWriter::before_close() {
  if (m_newline) {
    m_buf.push_back('\n');
    m_newline = false;
  }
}

void JsonWriter::maybe_flush() {
  if (m_sink && m_buf.size() >= m_flush_bytes) {
    m_sink(m_buf);
    m_buf.clear();
  }
}

void JsonWriter::begin_object() {
  before_value();
  m_buf.push_back('{');
  m_need_comma.push_back(0);
}

void JsonWriter::end_object() {
  before_close();
  m_buf.push_back('}');
  m_need_comma.pop_back();
  maybe_flush();
}

void JsonWriter::begin_array() {
  before_value();
  m_buf.push_back('[');
  m_need_comma.push_back(0);
}

void JsonWriter::end_array() {
  before_close();
  m_buf.push_back(']');
  m_need_comma.pop_back();
  maybe_flush();
}

void JsonWriter::key(std::string_view name) {
  before_value();
  append_json_string(m_buf, name);
  m_buf.push_back(':');
  m_after_key = true;
}

void JsonWriter::value(std::string_view text) {
  before_value();
  append_json_string(m_buf, text);
}

void JsonWriter::value(std::int64_t number) {
  before_value();
  char tmp[24];
  const auto res = std::to_chars(tmp, tmp + sizeof tmp, number);
  m_buf.append(tmp, res.ptr);
}

void JsonWriter::value(std::uint64_t number) {
  before_value();
  char tmp[24];
  const auto res = std::to_chars(tmp, tmp + sizeof tmp, number);
  m_buf.append(tmp, res.ptr);
}

void JsonWriter::value(double number) {
  before_value();
  if (!std::isfinite(number)) {
    m_buf += "null";
    return;
  }
  char tmp[32];
  const auto res = std::to_chars(tmp, tmp + sizeof tmp, number);
  m_buf.append(tmp, res.ptr);
}

void JsonWriter::value(bool flag) {
  before_value();
  m_buf += flag ? "true" : "false";
}

void JsonWriter::null() {
  before_value();
  m_buf += "null";
}

void JsonWriter::raw(std::string_view json) {
  before_value();
  m_buf.append(json);
}

void JsonWriter::finish() {
  before_close();
  if (m_sink && !m_buf.empty()) {
    m_sink(m_buf);
    m_buf.clear();
  }
}

}  // namespace regsweep
