#include "base/base64.hpp"

#include <array>

namespace xtc {
namespace {

constexpr std::string_view k_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

} // namespace

std::string base64_encode(std::span<const std::uint8_t> bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t left = bytes.size() - i;
    std::uint32_t word = static_cast<std::uint32_t>(bytes[i]) << 16;
    if (left > 1) {
      word |= static_cast<std::uint32_t>(bytes[i + 1]) << 8;
    }
    if (left > 2) {
      word |= bytes[i + 2];
    }
    out += k_alphabet[(word >> 18) & 63];
    out += k_alphabet[(word >> 12) & 63];
    out += left > 1 ? k_alphabet[(word >> 6) & 63] : '=';
    out += left > 2 ? k_alphabet[word & 63] : '=';
  }
  return out;
}

std::string base64_encode(std::string_view text) {
  return base64_encode(std::span<const std::uint8_t>(
      reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) {
    return std::nullopt;
  }
  std::vector<std::uint8_t> out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    std::array<std::uint32_t, 4> values{};
    int padding = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      const char c = text[i + j];
      if (c == '=' && i + 4 == text.size() && j >= 2) {
        ++padding;
        continue;
      }
      const std::size_t value = k_alphabet.find(c);
      if (value == std::string_view::npos || padding > 0) {
        return std::nullopt;
      }
      values[j] = static_cast<std::uint32_t>(value);
    }
    const std::uint32_t word =
        (values[0] << 18) | (values[1] << 12) | (values[2] << 6) | values[3];
    out.push_back(static_cast<std::uint8_t>(word >> 16));
    if (padding < 2) {
      out.push_back(static_cast<std::uint8_t>(word >> 8));
    }
    if (padding < 1) {
      out.push_back(static_cast<std::uint8_t>(word));
    }
  }
  return out;
}

} // namespace xtc
