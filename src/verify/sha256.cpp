#include "verify/sha256.hpp"

#include "base/error.hpp"
#include "platform/fd.hpp"
#include "verify/openssl.hpp"

#include <openssl/evp.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace xtc::verify {
namespace {

constexpr std::size_t k_read_chunk = 1024 * 1024;
constexpr std::string_view k_hex_digits = "0123456789abcdef";

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

} // namespace

std::optional<Sha256Digest> Sha256Digest::from_hex(std::string_view hex) {
  std::array<std::uint8_t, 32> bytes{};
  if (hex.size() != bytes.size() * 2) {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const int high = hex_value(hex[2 * i]);
    const int low = hex_value(hex[2 * i + 1]);
    if (high < 0 || low < 0) {
      return std::nullopt;
    }
    bytes[i] = static_cast<std::uint8_t>(high * 16 + low);
  }
  return Sha256Digest(bytes);
}

std::string Sha256Digest::hex() const {
  std::string out;
  out.reserve(m_bytes.size() * 2);
  for (const std::uint8_t byte : m_bytes) {
    out += k_hex_digits[byte >> 4U];
    out += k_hex_digits[byte & 0x0FU];
  }
  return out;
}

struct Sha256::Impl {
  MdCtxPtr ctx;
};

Sha256::Sha256() : m_impl(std::make_unique<Impl>()) {
  m_impl->ctx.reset(EVP_MD_CTX_new());
  if (!m_impl->ctx) {
    throw_openssl("cannot create a SHA-256 context");
  }
  // EVP_sha256() is the implicitly fetched default-provider digest; it is
  // available in every OpenSSL 3 configuration, FIPS included.
  if (EVP_DigestInit_ex(m_impl->ctx.get(), EVP_sha256(), nullptr) != 1) {
    throw_openssl("cannot initialise SHA-256");
  }
}

Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;
Sha256::~Sha256() = default;

void Sha256::update(const void* data, std::size_t size) {
  if (!m_impl) {
    throw Error("SHA-256 used after finish()");
  }
  if (size == 0) {
    return;
  }
  if (EVP_DigestUpdate(m_impl->ctx.get(), data, size) != 1) {
    throw_openssl("cannot compute SHA-256");
  }
}

Sha256Digest Sha256::finish() {
  if (!m_impl) {
    throw Error("SHA-256 used after finish()");
  }
  std::array<std::uint8_t, 32> bytes{};
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(m_impl->ctx.get(), bytes.data(), &length) != 1) {
    throw_openssl("cannot compute SHA-256");
  }
  if (length != bytes.size()) {
    throw Error(fmt::format("SHA-256 returned {} bytes instead of 32", length));
  }
  // The context is spent; dropping it makes a second finish() an error
  // instead of a silently wrong digest.
  m_impl.reset();
  return Sha256Digest(bytes);
}

Sha256Digest sha256_file(const std::filesystem::path& path,
                         std::string_view role) {
  const platform::Fd fd = platform::open_file(path, O_RDONLY, role);
  Sha256 hasher;
  platform::read_chunks(fd.get(), k_read_chunk, role, path,
                        [&hasher](std::string_view data) {
                          hasher.update(data.data(), data.size());
                        });
  return hasher.finish();
}

} // namespace xtc::verify
