#include "util/interned_string.hpp"

#include <mutex>
#include <ostream>
#include <unordered_set>

namespace regsweep {

const std::string InternedString::k_empty;

const std::string& InternedString::intern(std::string_view text) {
  if (text.empty()) return k_empty;
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  // Leaked on purpose: InternedStrings in static objects may outlive any static table.
  static auto* table = new std::unordered_set<std::string, Hash, std::equal_to<>>();
  static std::mutex mutex;
  const std::lock_guard lock(mutex);
  const auto it = table->find(text);
  if (it != table->end()) return *it;
  return *table->emplace(text).first;
}

std::ostream& operator<<(std::ostream& out, const InternedString& text) {
  return out << text.str();
}

}  // namespace regsweep
