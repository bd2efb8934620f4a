// The user's trusted manifest keys: minisign public key files in one
// directory ($XTC_HOME/keys/<KEY ID>.pub), managed by `xtc key add|list|
// remove` for an organisation's own mirror. Files are written atomically;
// a damaged key file is an error, never silently skipped.
#pragma once

#include "manifest/signature.hpp"

#include <filesystem>
#include <string_view>
#include <vector>

namespace xtc::manifest {

class Keyring {
public:
  explicit Keyring(std::filesystem::path dir);

  // The keys in the directory, sorted by key id (none when it is absent).
  // Throws xtc::Error naming a damaged key file.
  std::vector<TrustedKey> keys() const;
  // Adds a key (public key file text or bare base64 line, read from
  // `source`); returns it. Adding a key already present succeeds.
  TrustedKey add(std::string_view text, std::string_view source) const;
  // Removes the key with this id (hex, either case); false when absent.
  bool remove(std::string_view key_id) const;

  std::filesystem::path path_of(const verify::MinisignKey& key) const;

private:
  std::filesystem::path m_dir;
};

// Reads public key files (e.g. from $XTC_TRUSTED_KEYS); throws xtc::Error
// naming a missing or damaged file.
std::vector<TrustedKey>
read_key_files(const std::vector<std::filesystem::path>& files);

} // namespace xtc::manifest
