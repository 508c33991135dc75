// ASCII case folding for protocol text (HTTP header names, URL schemes and hosts, `true`/`false`
// values in AWS config, registry hosts). std::tolower depends on the C locale and works on one
// char at a time; these fold only A-Z, so a UTF-8 byte is never changed, whatever the locale.
#pragma once

#include <string>
#include <string_view>

namespace regsweep {

constexpr char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}

std::string ascii_lower(std::string_view text);

// Equal but for the case of A-Z.
bool ascii_iequals(std::string_view a, std::string_view b);

}  // namespace regsweep
