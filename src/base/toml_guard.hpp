// A bound on how deeply a TOML text nests, checked before a parser sees it.
// TOML parsers recurse once per component of a dotted key or table header
// ("a.b.c…") and once per level of nested arrays and inline tables; toml++
// bounds only the latter, so a key of tens of thousands of components (a few
// dozen kilobytes that any cloned repository can carry in .cargo/config.toml,
// Cargo.toml or xtc.toml) would overflow the stack. Every TOML text xtc
// parses passes through guard_toml_nesting() first. This scanner itself
// never recurses and reads each byte once.
#pragma once

#include <cstddef>
#include <string_view>

namespace xtc {

// Far beyond any real configuration (cargo's deepest keys have five or six
// parts), far below what exhausts a thread's stack.
inline constexpr std::size_t k_max_toml_key_parts = 64;
inline constexpr std::size_t k_max_toml_nesting = 64;

// Throws xtc::Error "'<source>' line <n>: a key has more than 64 parts
// (xtc's limit)" or "... arrays and inline tables nest more than 64 deep
// ...". Leaves syntax errors (an unterminated string, say) to the parser.
void guard_toml_nesting(std::string_view text, std::string_view source);

} // namespace xtc
