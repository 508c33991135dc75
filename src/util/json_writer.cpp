#include "util/json_writer.hpp"

#include <charconv>
#include <cmath>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "util/time.hpp"

namespace regsweep {

namespace {

// Index of the first byte in text[from, size) that JSON needs escaped ('"', '\\' or a control
// character), or text.size(). Sixteen bytes are tested at once with SSE2 (part of every x86-64
// CPU), eight elsewhere (the "has a zero / less-than byte" bit tricks; each test is exact for the
// word as a whole), because escaping is the writer's hot loop: nearly all digests, tags and
// reasons need no escape at all.
std::size_t find_escape(std::string_view text, std::size_t from) {
  std::size_t i = from;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i space = _mm_set1_epi8(0x20);
  for (; i + 16 <= text.size(); i += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
    // Unsigned "byte < 0x20" is "min(byte, 0x20) != 0x20"; the == tests catch '"' and '\\'.
    const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(bytes, space), space);
    const __m128i special =
        _mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash));
    const int mask = _mm_movemask_epi8(special) | (~_mm_movemask_epi8(control) & 0xffff);
    if (mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
#endif
  constexpr std::uint64_t k_ones = 0x0101010101010101ULL;
  constexpr std::uint64_t k_highs = 0x8080808080808080ULL;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + i, 8);
    const std::uint64_t quote = word ^ (k_ones * '"');
    const std::uint64_t backslash = word ^ (k_ones * '\\');
    const std::uint64_t hits = ((quote - k_ones) & ~quote) | ((backslash - k_ones) & ~backslash) |
                               ((word - k_ones * 0x20) & ~word);
    if ((hits & k_highs) == 0) continue;
    for (std::size_t j = i; j < i + 8; ++j) {
      const auto c = static_cast<unsigned char>(text[j]);
      if (c < 0x20 || c == '"' || c == '\\') return j;
    }
  }
  for (; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == '"' || c == '\\') return i;
  }
  return i;
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char k_hex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t run_start = 0;
  for (std::size_t i = find_escape(text, 0); i < text.size(); i = find_escape(text, i + 1)) {
    const auto c = static_cast<unsigned char>(text[i]);
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

void JsonWriter::literal_key(std::string_view name) {
  before_value();
  m_buf.push_back('"');
  m_buf.append(name);
  m_buf.append("\":", 2);
  m_after_key = true;
}

void JsonWriter::plain_value(std::string_view text) {
  before_value();
  m_buf.push_back('"');
  m_buf.append(text);
  m_buf.push_back('"');
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

void JsonWriter::timestamp(EpochMillis t) {
  before_value();
  char tmp[48];
  tmp[0] = '"';
  char* end = write_iso8601(tmp + 1, t);
  *end++ = '"';
  m_buf.append(tmp, end);
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
  if (m_sink && json.size() >= m_flush_bytes) {
    // Big pieces (a plan's rendered chunks, megabytes each) skip the buffer: one copy less.
    m_sink(m_buf);
    m_buf.clear();
    m_sink(json);
    return;
  }
  m_buf.append(json);
  maybe_flush();
}

std::string JsonWriter::take() {
  std::string out = std::move(m_buf);
  m_buf = std::string();
  return out;
}

void JsonWriter::finish() {
  before_close();
  if (m_sink && !m_buf.empty()) {
    m_sink(m_buf);
    m_buf.clear();
  }
}

}  // namespace regsweep
