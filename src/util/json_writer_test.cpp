#include "util/json_writer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace regsweep {
namespace {

TEST(JsonWriter, TakeMovesTheTextOutAndKeepsTheOpenContainers) {
  JsonWriter writer;
  writer.begin_array();
  writer.value(1);
  EXPECT_EQ(writer.take(), "[1");
  EXPECT_EQ(writer.buffer(), "");
  writer.value(2);  // still inside the array: the comma is kept
  writer.end_array();
  EXPECT_EQ(writer.take(), ",2]");
}

TEST(JsonWriter, BigRawPiecesGoToTheSinkInOrder) {
  std::vector<std::string> chunks;
  JsonWriter writer([&](std::string_view chunk) { chunks.emplace_back(chunk); }, 16);
  writer.begin_array();
  writer.value("a");
  writer.newline();
  writer.raw(R"({"k":"a long enough piece"},{"k":2})");  // >= 16 bytes: passed on uncopied
  writer.raw("3");
  writer.end_array();
  writer.finish();
  std::string all;
  for (const auto& chunk : chunks) all += chunk;
  EXPECT_EQ(all, "[\"a\",\n{\"k\":\"a long enough piece\"},{\"k\":2},3]");
  ASSERT_GE(chunks.size(), 2u);
  EXPECT_EQ(chunks[0], "[\"a\",\n");
  EXPECT_EQ(chunks[1], R"({"k":"a long enough piece"},{"k":2})");
}

TEST(JsonWriter, LiteralKeysGoOutAsTheyAreOtherKeysAreEscaped) {
  JsonWriter writer;
  const std::string dynamic = "a\"b";
  writer.begin_object();
  writer.key("imageDigest");  // a literal: copied
  writer.plain_value("expire");
  writer.key(std::string_view(dynamic));  // not a literal: escaped
  writer.value(dynamic);
  writer.end_object();
  EXPECT_EQ(writer.buffer(), R"({"imageDigest":"expire","a\"b":"a\"b"})");
}

// A plain byte-by-byte reference for append_json_string's fast scan.
std::string reference_escape(const std::string& text) {
  std::string out = "\"";
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"') {
      out += "\\\"";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\b') {
      out += "\\b";
    } else if (c == '\f') {
      out += "\\f";
    } else if (c < 0x20) {
      static constexpr char k_hex[] = "0123456789abcdef";
      out += "\\u00";
      out += k_hex[c >> 4];
      out += k_hex[c & 0xf];
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

TEST(JsonString, EscapesEverySpecialByteAtEveryPosition) {
  // Positions inside and across the 16- and 8-byte blocks the scan tests at once, and the tail.
  for (const char special : {'"', '\\', '\n', '\x01', '\x1f', '\t'}) {
    for (std::size_t length = 0; length < 48; ++length) {
      for (std::size_t at = 0; at < length; ++at) {
        std::string text(length, 'a');
        text[at] = special;
        if (length > 2) text[length - 1] = '\xc3';  // UTF-8 bytes pass through unescaped
        std::string out;
        append_json_string(out, text);
        ASSERT_EQ(out, reference_escape(text)) << "length " << length << " at " << at;
      }
    }
  }
  std::string plain;
  append_json_string(plain, "sha256:0123456789abcdef0123456789abcdef ~\x7f\x80\xff");
  EXPECT_EQ(plain, "\"sha256:0123456789abcdef0123456789abcdef ~\x7f\x80\xff\"");
}

}  // namespace
}  // namespace regsweep
