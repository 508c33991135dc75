// Errors as values. A Result<T> holds either a T or an Error with one code from a small, fixed set;
// callers branch on the code (retry only throttled/transient), people read the message. Messages
// follow "where: field: problem; fix" and never contain secrets. Only main() prints them.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace regsweep {

enum class ErrorCode {
  invalid_input,  // the user's input (file, flag, policy) is wrong; exit 2, nothing contacted
  not_found,
  unauthorized,
  forbidden,
  throttled,  // retryable
  transient,  // retryable: 5xx, dropped connection, timeout
  conflict,   // the world changed under us (re-tagged image, lock held)
  internal,
};

std::string_view to_string(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;
  // The remote service's own name for the error, when there is one (e.g. ECR's
  // "RepositoryNotFoundException"), so callers can tell apart two not_found errors.
  std::string service_code;

  bool retryable() const { return code == ErrorCode::throttled || code == ErrorCode::transient; }
};

inline Error make_error(ErrorCode code, std::string message) {
  return Error{code, std::move(message), {}};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : m_state(std::move(value)) {}  // NOLINT: implicit on purpose, like std::expected
  Result(Error error) : m_state(std::move(error)) {}  // NOLINT

  bool ok() const { return m_state.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(m_state); }
  const T& value() const& { return std::get<0>(m_state); }
  T&& value() && { return std::get<0>(std::move(m_state)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { return std::get<1>(m_state); }
  Error&& take_error() && { return std::get<1>(std::move(m_state)); }

 private:
  std::variant<T, Error> m_state;
};

// Result<void>: success carries nothing.
struct Ok {};
using Status = Result<Ok>;
inline Status ok_status() {
  return Ok{};
}

}  // namespace regsweep
