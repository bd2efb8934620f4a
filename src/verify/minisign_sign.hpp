// Minisign signing (https://jedisct1.github.io/minisign/): reading a secret
// key file as `minisign -G` writes it, unencrypted (-W) or encrypted with a
// password (scrypt, with libsodium's choice of parameters), and writing a
// .minisig the way `minisign -S` does: prehashed ("ED"), the trusted comment
// covered by the global signature. Ed25519 is deterministic, so for the same
// key, data and comments the text is byte for byte what minisign writes.
// Secret bytes are wiped when the objects holding them go; nothing here
// writes a file or asks for a password.
#pragma once

#include "verify/minisign.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace xtc::verify {

// A decrypted minisign secret key. Its destructor wipes `secret`.
struct MinisignSecretKey {
  MinisignKeyId id{};
  // The Ed25519 seed (32 bytes) then the public key (32), as minisign
  // stores them.
  std::array<std::uint8_t, 64> secret{};

  // The matching public key, as parse_minisign_key reads it from
  // minisign.pub.
  MinisignKey public_key() const;
  ~MinisignSecretKey();
};

// Whether the secret key file's text is password-protected (kdf "Sc").
// Throws xtc::Error "invalid minisign secret key '<source>': <why>" for
// text that is not a minisign secret key.
bool minisign_secret_key_encrypted(std::string_view text,
                                   std::string_view source);

// Parses a secret key file (an "untrusted comment:" line, then the base64
// line), decrypting it with `password` if it is encrypted (ignored if not).
// Throws xtc::Error "invalid minisign secret key '<source>': <why>" for
// malformed or corrupt text, "wrong password for minisign secret key
// '<source>'" when the password does not decrypt it (damage to the
// encrypted bytes of a key reads the same way).
MinisignSecretKey parse_minisign_secret_key(std::string_view text,
                                            std::string_view source,
                                            std::string_view password = {});

// Signs `data` as `minisign -S` does and returns the .minisig text: the
// untrusted comment line, the signature line, the trusted comment line and
// the global signature line, each ending in "\n". Throws xtc::Error for a
// comment with a line break or NUL byte, a trusted comment longer than
// minisign reads back, or a failure inside OpenSSL.
std::string sign_minisign(const MinisignSecretKey& key, std::string_view data,
                          std::string_view trusted_comment,
                          std::string_view untrusted_comment);

} // namespace xtc::verify
