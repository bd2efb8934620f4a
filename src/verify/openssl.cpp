#include "verify/openssl.hpp"

#include "base/error.hpp"

#include <fmt/format.h>
#include <openssl/err.h>

#include <array>
#include <string>

namespace xtc::verify {

void throw_openssl(std::string_view what) {
  std::string text;
  while (const unsigned long code = ERR_get_error()) {
    std::array<char, 256> buffer{};
    ERR_error_string_n(code, buffer.data(), buffer.size());
    text += text.empty() ? "" : "; ";
    text += buffer.data();
  }
  throw Error(fmt::format("{}: {}", what,
                          text.empty() ? "unknown OpenSSL error" : text));
}

} // namespace xtc::verify
