// Minisign public keys and signatures (https://jedisct1.github.io/minisign/):
// parsing the text formats and checking an Ed25519 signature with OpenSSL.
// Both signature algorithms are accepted: "ED" (Ed25519 over the BLAKE2b-512
// digest of the file, what minisign writes by default) and the legacy "Ed"
// (Ed25519 over the file itself). The trusted comment is covered by the
// global signature, over the file signature followed by the comment's bytes.
// Nothing here decides which keys to trust; that is the caller's policy.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace xtc::verify {

using MinisignKeyId = std::array<std::uint8_t, 8>;

// The key id as minisign prints it: 16 upper-case hex digits (the id's
// bytes are stored little-endian, so they print in reverse).
std::string key_id_hex(const MinisignKeyId& id);

struct MinisignKey {
  MinisignKeyId id{};
  std::array<std::uint8_t, 32> public_key{};

  // The key's base64 line ("RWQ…"), as in a minisign.pub file.
  std::string base64() const;
  bool operator==(const MinisignKey&) const = default;
};

// Parses a public key: the text of a minisign.pub file (an "untrusted
// comment:" line, then the base64 line) or the bare base64 line. Throws
// xtc::Error "invalid minisign public key '<source>': <why>".
MinisignKey parse_minisign_key(std::string_view text, std::string_view source);

struct MinisignSignature {
  bool prehashed = true; // "ED"; false for the legacy "Ed"
  MinisignKeyId key_id{};
  std::array<std::uint8_t, 64> signature{};
  std::string trusted_comment; // without the "trusted comment: " prefix
  std::array<std::uint8_t, 64> global_signature{};
};

// Parses a .minisig file's four lines. Throws xtc::Error "invalid
// signature '<source>': <why>" for anything malformed or truncated.
MinisignSignature parse_minisign_signature(std::string_view text,
                                           std::string_view source);

enum class SignatureCheck {
  valid,
  bad_signature,       // the data does not match the signature
  bad_trusted_comment, // the trusted comment was altered
};

// Checks `signature` over `data` with `key` (the caller has matched the key
// ids). Throws xtc::Error only when OpenSSL itself fails.
SignatureCheck check_minisign(const MinisignKey& key,
                              const MinisignSignature& signature,
                              std::string_view data);

// The same over a file's content, read in chunks (the prehashed kind never
// holds the whole file). `role` names the file in read errors.
SignatureCheck check_minisign_file(const MinisignKey& key,
                                   const MinisignSignature& signature,
                                   const std::filesystem::path& path,
                                   std::string_view role);

} // namespace xtc::verify
