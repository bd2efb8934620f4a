// Minimal edits of TOML text mapped by scan_toml_text: replace one value
// token, or add one key where TOML lets it live, in the form the file
// already uses (a [table] block, dotted keys, an inline table) or as a new
// table at the end. Every byte outside the edit stays as it was; an
// inserted line uses the file's line break. Nothing here checks meaning:
// the caller decides what to set and re-parses the result.
#pragma once

#include "project/toml_text.hpp"

#include <span>
#include <string>
#include <string_view>

namespace xtc::project {

// "\r\n" when the text's first line break is CRLF, else "\n".
std::string detect_newline(std::string_view text);

// A TOML basic string: "…" with backslash, quote and controls escaped.
std::string quote_basic(std::string_view value);

// One key part: bare when TOML allows it, else a basic string.
std::string format_key_part(std::string_view part);

// The value token a pair (or an inline-table entry) writes at path, or
// nullptr when no pair writes exactly that path.
const TextValue* find_value(const TextDocument& doc,
                            std::span<const std::string> path);

// text with `token` replaced by `replacement` (TOML source text).
std::string replace_value(std::string_view text, const TextValue& token,
                          std::string_view replacement);

// text with `path = replacement` added; path (two parts or more) must not be
// set yet. Goes into an inline table holding path, else the [parent] block,
// else beside the dotted keys defining the parent, else a new [parent]
// table appended at the end.
std::string insert_value(std::string_view text, const TextDocument& doc,
                         std::span<const std::string> path,
                         std::string_view replacement,
                         std::string_view newline);

} // namespace xtc::project
