// Manifest signatures: which keys xtc trusts, the check of a manifest's
// minisign signature, and the record of accepted manifests that refuses a
// replay. A signature binds the manifest's bytes and its trusted comment,
// which must name the manifest's file ("file:xtc.toml") and when it was
// signed ("timestamp:1732470000"), so a mirror can neither swap one signed
// manifest for another nor serve an older one than xtc has already seen.
// Nothing here ever accepts a manifest without a valid signature; the
// "unsigned local file" escape hatch belongs to the caller.
#pragma once

#include "verify/minisign.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xtc::manifest {

struct TrustedKey {
  verify::MinisignKey key;
  std::string origin; // "built in", or the file it was read from
};

// The keys compiled into xtc: the project's own signing key.
std::vector<TrustedKey> builtin_keys();

// What a valid signature vouches for.
struct Signed {
  std::string key_id; // hex, as minisign prints it
  std::uint64_t timestamp = 0;
  std::string file_name;
};

// Checks `signature_text` (a .minisig file read from `signature_source`)
// over `text`, the manifest read from `source`, whose file name is
// `file_name`. Throws xtc::Error, before anything is parsed or downloaded,
// when the signature is malformed, made by a key not in `keys`, does not
// match, has an altered trusted comment, or its trusted comment lacks a
// timestamp or names another file.
Signed check_signature(std::string_view text, std::string_view signature_text,
                       std::string_view file_name, std::string_view source,
                       std::string_view signature_source,
                       const std::vector<TrustedKey>& keys);

// The newest signature time accepted so far per key and file name, kept in
// `dir`/accepted.toml ($XTC_HOME/manifests).
class AcceptedManifests {
public:
  explicit AcceptedManifests(std::filesystem::path dir);

  // Throws xtc::Error when `manifest` is older than one accepted before for
  // the same key and file name (a replay or downgrade). Reads only.
  void check_fresh(const Signed& manifest, std::string_view source) const;
  // Records `manifest` as accepted (under a flock, written atomically);
  // keeps the newer time when another process recorded one meanwhile.
  void remember(const Signed& manifest) const;

private:
  std::optional<std::uint64_t> newest(const Signed& manifest) const;

  std::filesystem::path m_dir;
};

} // namespace xtc::manifest
