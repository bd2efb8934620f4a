// SHA-256: a digest value type and a streaming hasher (OpenSSL EVP; the only
// place outside verify/ that would see OpenSSL is nowhere).
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace xtc::verify {

class Sha256Digest {
public:
  Sha256Digest() = default;
  explicit Sha256Digest(const std::array<std::uint8_t, 32>& bytes)
      : m_bytes(bytes) {}

  // Parses 64 hex digits (either case); nullopt for anything else.
  static std::optional<Sha256Digest> from_hex(std::string_view hex);

  // 64 lower-case hex digits.
  std::string hex() const;
  const std::array<std::uint8_t, 32>& bytes() const noexcept { return m_bytes; }

  bool operator==(const Sha256Digest&) const = default;

private:
  std::array<std::uint8_t, 32> m_bytes{};
};

// Streaming SHA-256. Move-only; owns an EVP_MD_CTX.
class Sha256 {
public:
  Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  ~Sha256();

  void update(const void* data, std::size_t size);
  void update(std::string_view data) { update(data.data(), data.size()); }
  // Returns the digest; the hasher must not be used afterwards.
  Sha256Digest finish();

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

// Hashes a whole file; throws xtc::Error naming `role` and path.
Sha256Digest sha256_file(const std::filesystem::path& path,
                         std::string_view role = "file");

} // namespace xtc::verify
