#include "util/glob.hpp"

namespace regsweep {

// Iterative matcher with single backtrack point: linear in practice and never exponential, since a
// later '*' supersedes the earlier backtrack point.
bool glob_match(std::string_view pattern, std::string_view text, GlobSyntax syntax) {
  const bool question = syntax == GlobSyntax::star_and_question;
  std::size_t p = 0, t = 0;
  std::size_t star_p = std::string_view::npos, star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star_p = p++;
      star_t = t;
    } else if (p < pattern.size() && (pattern[p] == text[t] || (question && pattern[p] == '?'))) {
      ++p;
      ++t;
    } else if (star_p != std::string_view::npos) {
      p = star_p + 1;
      t = ++star_t;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool repository_selected(const std::vector<std::string>& globs, std::string_view name) {
  if (globs.empty()) return true;
  for (const auto& glob : globs) {
    if (glob_match(glob, name, GlobSyntax::star_and_question)) return true;
  }
  return false;
}

}  // namespace regsweep
