// Errors as values: every fallible function in src/ returns Result<T> or Status.
// Exceptions from third-party libraries are caught in their adapters and never cross a header.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace bp {

enum class ErrorKind {
  kInvalidInput,  // the user's configuration or input is wrong
  kNotFound,      // something required does not exist
  kIo,            // the local filesystem failed us
  kNetwork,       // a download failed and retrying will not help
  kUnavailable,   // a download failed in a way that retrying may fix
  kChecksum,      // bytes arrived but they are not the ones pinned
  kInternal,      // a bug
};

struct Error {
  ErrorKind kind = ErrorKind::kInternal;
  std::string message;  // lowercase, no trailing period, never a secret
  std::string hint;     // optional advice on how to fix it

  // Returns this error with `context` prepended: "context: message".
  Error Wrap(std::string_view context) const {
    Error wrapped = *this;
    wrapped.message = std::string(context) + ": " + message;
    return wrapped;
  }
};

inline Error MakeError(ErrorKind kind, std::string message, std::string hint = {}) {
  Error error;
  error.kind = kind;
  error.message = std::move(message);
  error.hint = std::move(hint);
  return error;
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : value_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return value_.index() == 0; }
  const T& value() const& { return std::get<0>(value_); }
  T& value() & { return std::get<0>(value_); }
  T&& value() && { return std::get<0>(std::move(value_)); }
  const Error& error() const { return std::get<1>(value_); }

 private:
  std::variant<T, Error> value_;
};

struct Unit {};
using Status = Result<Unit>;
inline Status Ok() { return Unit{}; }

}  // namespace bp
