// URL policy for downloads: which URLs xtc may fetch at all (https anywhere,
// plain http only to a loopback host, file:// for local mirrors) and the
// XTC_MIRROR rewrite. Pure functions over strings, parsed with libcurl's own
// URL parser so the host checked here is the host libcurl would contact.
// Nothing here opens a connection.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xtc::fetch {

// True for 127.0.0.0/8, ::1 (also as ::ffff:127.x.y.z) and "localhost", with
// or without IPv6 brackets.
bool is_loopback_host(std::string_view host);

// True when url names a loopback host; throws xtc::Error when url does not
// parse.
bool has_loopback_host(const std::string& url);

// Returns the lower-case scheme of url; throws xtc::Error when url does not
// parse.
std::string url_scheme(const std::string& url);

// Throws xtc::Error unless url may be fetched: its scheme is https or file,
// or http with a loopback host ("refusing plain HTTP for '<url>'").
void check_url_allowed(const std::string& url);

// Applies an XTC_MIRROR value to url: "FROM=TO" replaces the prefix FROM by
// TO when url starts with FROM; a bare base URL replaces url's scheme and
// authority, keeping its path and query. nullopt when the mirror does not
// apply to url.
std::optional<std::string> apply_mirror(std::string_view url,
                                        std::string_view mirror);

// The last path segment of url, without its "?query" or "#fragment":
// "https://h/d/zig.tar.xz?v=1" -> "zig.tar.xz".
std::string url_file_name(std::string_view url);

// The URL of url's minisign signature: its document plus ".minisig", with
// any query or fragment kept after it.
std::string signature_url(std::string_view url);

// The URLs to try, in order: each mirror rewrite first, then the originals,
// without duplicates.
std::vector<std::string>
candidate_urls(const std::vector<std::string>& urls,
               const std::optional<std::string>& mirror);

} // namespace xtc::fetch
