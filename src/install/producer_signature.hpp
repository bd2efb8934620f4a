// A producer's own signature over an artifact (zig signs every tarball with
// minisign): when the manifest names the producer's key, the archive xtc
// downloaded must come with <url>.minisig signed by that key, checked before
// anything of it is installed. The signed manifest's sha256 already pins the
// bytes; this also ties them to the producer, so a wrong row in a manifest
// cannot install what the producer never published.
#pragma once

#include "fetch/download.hpp"
#include "manifest/manifest.hpp"

#include <filesystem>
#include <string>

namespace xtc::install {

// Fetches the signature from the artifact's URLs (+ ".minisig", through the
// same mirror rewrite as the download, first that answers wins) and checks
// `archive` with it. Throws xtc::Error naming the artifact and the signature
// URL when it is missing, malformed, by another key, names another file in
// its trusted comment, or does not match. Returns the signature's text
// (what `xtc mirror` serves beside the archive); empty without a
// minisign_key.
std::string check_producer_signature(const manifest::Artifact& artifact,
                                     const std::filesystem::path& archive,
                                     const fetch::Options& options);

} // namespace xtc::install
