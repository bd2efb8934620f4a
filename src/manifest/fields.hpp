// Typed reads of one TOML table of a manifest, internal to manifest/. Every
// failure is an xtc::Error of the one shape users see:
//   invalid manifest '<source>': artifact 3 ('<id>'): key 'size': <what>
// so the parsers above it never format a location themselves. Nothing here
// accepts a value of the wrong TOML type: a string where an integer belongs
// is an error, never a conversion.
#pragma once

#include "base/error.hpp"

#include <toml++/toml.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace xtc::manifest::detail {

// Returns "invalid manifest '<source>': <where>: <detail>" (no "<where>: "
// when where is empty) as an xtc::Error with the hint.
// Parses manifest text into a table, its nesting bounded first
// (toml_guard.hpp). Throws manifest_error "invalid manifest '<source>':
// <line>:<column>: <what>" for a syntax error.
toml::table parse_toml(std::string_view text, std::string_view source);

Error manifest_error(std::string_view source, std::string_view where,
                     std::string_view detail, std::string hint = {});

// "a string", "an integer", "a table", … for "expected X, got Y".
std::string_view type_name(const toml::node& node);

// True for "2.17", "1.2.3": digits separated by single dots.
bool is_version(std::string_view text);

// True for a non-empty relative path with no "..", "." or empty component
// ("." alone is allowed): a path that stays inside an install root.
bool is_relative_normal(std::string_view path);

class FieldReader {
public:
  // `where` names the table in messages: "artifact 3" or "" for the root;
  // `prefix` goes before every key of a nested table ("tools.").
  FieldReader(const toml::table& table, std::string_view source,
              std::string where, std::string prefix = {});

  // Names the table by a better name once it is known ("artifact 3 ('x')").
  void set_where(std::string where) { m_where = std::move(where); }
  const std::string& where() const noexcept { return m_where; }

  // Throws for the first key not in `known`, hinting the nearest known key.
  void reject_unknown_keys(std::span<const std::string> known) const;

  bool has(std::string_view key) const { return m_table.get(key) != nullptr; }

  // Absent: nullopt. Present with another type: throws.
  std::optional<std::string> string(std::string_view key) const;
  std::optional<std::int64_t> integer(std::string_view key) const;
  const toml::table* table(std::string_view key) const;
  // Absent: empty. Anything but an array of strings: throws.
  std::vector<std::string> strings(std::string_view key) const;

  // As above, but an absent key throws "key '<key>' is missing".
  std::string required_string(std::string_view key) const;
  std::int64_t required_integer(std::string_view key) const;

  // Throws "…: key '<key>': <what>".
  [[noreturn]] void fail(std::string_view key, std::string_view what,
                         std::string hint = {}) const;
  // Throws "…: key '<key>' is missing".
  [[noreturn]] void fail_missing(std::string_view key,
                                 std::string hint = {}) const;
  // Throws "…: <detail>" for errors that are about no single key.
  [[noreturn]] void fail_here(std::string_view detail,
                              std::string hint = {}) const;

  // Throws "…: key '<key>': expected one of <choices>, got '<value>'",
  // hinting the nearest choice, unless value is one of them.
  void require_choice(std::string_view key, const std::string& value,
                      std::span<const std::string> choices) const;

private:
  const toml::node* typed(std::string_view key, toml::node_type type,
                          std::string_view expected) const;

  const toml::table& m_table;
  std::string_view m_source;
  std::string m_where;
  std::string m_prefix;
};

} // namespace xtc::manifest::detail
