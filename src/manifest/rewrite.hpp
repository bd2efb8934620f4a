// The manifest of a mirror: the artifacts it holds, each with the mirror's
// URLs first and the producers' after them as fallbacks, everything else
// about a row (digest, layout, tools, producer key) exactly as the source
// manifest said. What `xtc mirror` signs with the company's key.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace xtc::manifest {

// Rewrites manifest text (read from `source`, already parsed and checked):
// keeps only the artifacts whose id is a key of `mirror_urls`, puts their
// URLs in front of each kept row's urls (a URL already there moves to the
// front), and starts the text with `header` (comment lines, without "# ").
// The result parses as a manifest; its key order is TOML's canonical one.
// Throws xtc::Error when the text does not parse.
std::string
rewrite_for_mirror(std::string_view text, std::string_view source,
                   const std::map<std::string, std::vector<std::string>,
                                  std::less<>>& mirror_urls,
                   const std::vector<std::string>& header);

} // namespace xtc::manifest
