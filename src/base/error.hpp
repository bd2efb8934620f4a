// xtc::Error is the one exception type of xtc. It carries a user-facing
// message (what failed and where: quoted path, triple, URL), an optional hint
// (what to do about it) and the exit code. It is caught in exactly one place,
// main(), which prints it; nothing below main() calls exit().
#pragma once

#include "base/exit_code.hpp"

#include <fmt/format.h>

#include <exception>
#include <string>
#include <string_view>

namespace xtc {

class Error : public std::exception {
public:
  explicit Error(std::string message, std::string hint = {},
                 ExitCode code = ExitCode::failure);

  const char* what() const noexcept override { return m_message.c_str(); }
  const std::string& message() const noexcept { return m_message; }
  const std::string& hint() const noexcept { return m_hint; }
  ExitCode code() const noexcept { return m_code; }

  // Returns a copy with the hint replaced.
  Error with_hint(std::string hint) const;

private:
  std::string m_message;
  std::string m_hint;
  ExitCode m_code;
};

// Returns an Error whose message is "<what>: <strerror(err)>".
Error system_error(std::string_view what, int err);

// Throws system_error(what, errno).
[[noreturn]] void throw_errno(std::string_view what);

// A usage error (exit code 2): bad argv, unknown command or option.
Error usage_error(std::string message, std::string hint = {});

} // namespace xtc
