// InternedString: a string from a small vocabulary (media types), stored once per process and
// shared by every value that holds it. A million images carry only a handful of distinct media
// types; interning them saves two heap blocks per image (memory, malloc and free time) and makes
// copying an ImageRecord cheaper. It reads like a `const std::string&` (it converts to one
// implicitly) and is assigned from std::string, std::string_view or a literal.
//
// The intern table only grows: it is meant for vocabularies, not for arbitrary text. It is
// thread-safe (registries are listed on several threads).
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>

namespace regsweep {

class InternedString {
 public:
  InternedString() = default;
  InternedString(std::string_view text) : m_text(&intern(text)) {}    // NOLINT: implicit on purpose
  InternedString(const std::string& text) : m_text(&intern(text)) {}  // NOLINT
  InternedString(const char* text) : m_text(&intern(text)) {}         // NOLINT

  const std::string& str() const { return *m_text; }
  operator const std::string&() const { return *m_text; }  // NOLINT: reads as a std::string
  bool empty() const { return m_text->empty(); }
  std::size_t size() const { return m_text->size(); }
  const char* data() const { return m_text->data(); }
  const char* c_str() const { return m_text->c_str(); }

  // One comparison, with anything viewable as text (a second overload would make literals
  // ambiguous); the C++20 rewritten forms cover `text == interned` and `!=`.
  friend bool operator==(const InternedString& a, std::string_view b) { return *a.m_text == b; }

 private:
  // The one stored copy of `text` (stable address for the life of the process).
  static const std::string& intern(std::string_view text);
  static const std::string k_empty;

  const std::string* m_text = &k_empty;
};

std::ostream& operator<<(std::ostream& out, const InternedString& text);

}  // namespace regsweep
