// A secret (secret key, session token, bearer token) that cannot be printed by accident: it has no
// stream operator, no formatter and no implicit conversion. The one way out is reveal(), used only
// where the value is put on the wire or into a signature.
#pragma once

#include <string>
#include <utility>

namespace regsweep {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : m_value(std::move(value)) {}

  const std::string& reveal() const { return m_value; }
  bool empty() const { return m_value.empty(); }
  // What logs may show instead of the value.
  static constexpr const char* redacted() { return "<redacted>"; }

  friend bool operator==(const Secret&, const Secret&) = default;

 private:
  std::string m_value;
};

}  // namespace regsweep
