// Internal to store: parses one of xtc's own TOML files (receipts, target
// records) and turns a syntax error into an xtc::Error that says how to fix
// the damage.
#pragma once

#include <toml++/toml.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace xtc::store {

// Parses text read from path; throws xtc::Error "damaged <role> '<path>':
// <line>:<col>: <reason>" with `hint`.
toml::table parse_own_toml(const std::string& text,
                           const std::filesystem::path& path,
                           std::string_view role, std::string_view hint);

} // namespace xtc::store
