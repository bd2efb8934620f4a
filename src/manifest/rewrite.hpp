// The manifest of a mirror: the artifacts it holds, each with the mirror's
// URLs first and the producers' after them as fallbacks, everything else
// about a row (digest, layout, tools, producer key) exactly as the source
// manifest said. What `xtc mirror` signs with the team's key.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace xtc::manifest {

// Where the mirror holds one artifact.
struct MirrorCopy {
  std::vector<std::string> urls;           // the archive
  std::vector<std::string> signature_urls; // its producer signature, if apart
};

// Rewrites manifest text (read from `source`, already parsed and checked):
// keeps only the artifacts whose id is a key of `copies`, puts the copy's
// URLs in front of each kept row's urls (a URL already there moves to the
// front) and its signature_urls in front of the row's, and starts the text
// with `header` (comment lines, without "# "). The result parses as a
// manifest; its key order is TOML's canonical one. Throws xtc::Error when
// the text does not parse.
std::string
rewrite_for_mirror(std::string_view text, std::string_view source,
                   const std::map<std::string, MirrorCopy, std::less<>>& copies,
                   const std::vector<std::string>& header);

} // namespace xtc::manifest
