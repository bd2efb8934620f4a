// A lossless map of a TOML document's text: where each table header, each
// key/value pair and each inline table sits, as byte offsets, so an editor
// can replace one value token or insert one line and leave every other byte
// (comments, blank lines, quoting, CRLF) as the user wrote it.
// The scanner expects text toml++ has already accepted; it checks the syntax
// it walks and throws rather than guess. It never changes the text.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace xtc::project {

using KeyPath = std::vector<std::string>;

// A dotted key as written: decoded parts and where each part's text ends.
struct TextKey {
  KeyPath parts;
  std::vector<std::size_t> part_ends; // one past each part's source text
  std::size_t begin = 0;              // first byte of the first part
};

struct TextEntry;

// A value token. Inline tables also list their own key/value pairs.
struct TextValue {
  std::size_t begin = 0;
  std::size_t end = 0; // one past the last byte ('"', ']', '}', digit …)
  bool is_inline_table = false;
  std::vector<TextEntry> entries;
};

struct TextEntry {
  TextKey key;
  TextValue value;
};

enum class StatementKind { table_header, array_header, key_value };

// One header or key/value line (a value may span lines).
struct Statement {
  StatementKind kind = StatementKind::key_value;
  KeyPath table;   // headers: the table they open; pairs: their table
  TextKey key;     // the header's key, or the pair's key
  TextValue value; // pairs only
  std::size_t line_begin = 0; // first byte of the line the statement is on
  std::size_t end = 0;        // one past its line break, or the text's size
};

struct TextDocument {
  std::vector<Statement> statements;
};

// Maps text. `what` names the document in errors ("cargo config '<path>'");
// throws xtc::Error "cannot edit <what>: unsupported TOML at <line>:<col>"
// on syntax it does not know.
TextDocument scan_toml_text(std::string_view text, std::string_view what);

// True when path starts with prefix.
bool has_prefix(std::span<const std::string> path,
                std::span<const std::string> prefix);

} // namespace xtc::project
