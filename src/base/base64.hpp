// Base64 (RFC 4648, standard alphabet, with padding): minisign keys and
// signatures, HTTP Basic credentials, the "auth" entries of a Docker
// config.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace xtc {

std::string base64_encode(std::span<const std::uint8_t> bytes);
std::string base64_encode(std::string_view text);

// Strict: nullopt for any byte outside the alphabet, a length that is not a
// multiple of 4, or padding anywhere but the end. Empty text decodes to
// nullopt too (nothing xtc reads may be empty).
std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text);

} // namespace xtc
