#pragma once

// What the verify module's OpenSSL calls share: an owner for a digest
// context and the one way a failed call becomes an Error.

#include <openssl/evp.h>

#include <memory>
#include <string_view>

namespace xtc::verify {

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

// Throws Error("<what>: <OpenSSL's errors>"). Drains OpenSSL's thread-local
// error queue into the message: the queue can hold several entries, and
// stale ones would otherwise leak into the next failure's text.
[[noreturn]] void throw_openssl(std::string_view what);

} // namespace xtc::verify
