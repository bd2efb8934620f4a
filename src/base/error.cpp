#include "base/error.hpp"

#include <cerrno>
#include <cstring>
#include <utility>

namespace xtc {

Error::Error(std::string message, std::string hint, ExitCode code)
    : m_message(std::move(message)), m_hint(std::move(hint)), m_code(code) {}

Error Error::with_hint(std::string hint) const {
  return Error(m_message, std::move(hint), m_code);
}

Error system_error(std::string_view what, int err) {
  std::string hint;
  if (err == ENOSPC || err == EDQUOT) {
    hint = "free some space on that file system and run the command again";
  } else if (err == EACCES || err == EPERM || err == EROFS) {
    hint = "check the permissions of that path, or set XTC_HOME to a "
           "writable directory";
  }
  return Error(fmt::format("{}: {}", what, std::strerror(err)),
               std::move(hint));
}

void throw_errno(std::string_view what) { throw system_error(what, errno); }

Error usage_error(std::string message, std::string hint) {
  return Error(std::move(message), std::move(hint), ExitCode::usage);
}

} // namespace xtc
