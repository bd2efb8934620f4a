#include "project/toml_text.hpp"

#include "base/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <utility>

namespace xtc::project {

namespace {

bool is_bare_key_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '-';
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// A recursive-descent walk over TOML 1.0 text. Values are only delimited,
// not decoded: toml++ owns their meaning. Keys are decoded because the
// editor matches them against paths.
class Scanner {
public:
  Scanner(std::string_view text, std::string_view what)
      : m_text(text), m_what(what) {}

  TextDocument run() {
    TextDocument doc;
    // toml++ skips a UTF-8 byte order mark; so must the offsets here.
    if (m_text.substr(0, 3) == "\xEF\xBB\xBF") {
      m_pos = 3;
    }
    KeyPath table;
    while (!at_end()) {
      const std::size_t line_begin = m_pos;
      skip_blanks();
      if (peek() == '#') {
        skip_comment();
      }
      if (at_end()) {
        break;
      }
      if (at_line_break()) {
        consume_line_break();
        continue;
      }
      Statement statement;
      statement.line_begin = line_begin;
      if (peek() == '[') {
        const bool array = peek(1) == '[';
        m_pos += array ? 2 : 1;
        skip_blanks();
        statement.key = key();
        skip_blanks();
        expect(array ? "]]" : "]");
        statement.kind =
            array ? StatementKind::array_header : StatementKind::table_header;
        statement.table = statement.key.parts;
        table = statement.table;
      } else {
        statement.key = key();
        skip_blanks();
        expect("=");
        skip_blanks();
        statement.value = value();
        statement.table = table;
      }
      end_line();
      statement.end = m_pos;
      doc.statements.push_back(std::move(statement));
    }
    return doc;
  }

private:
  std::string_view m_text;
  std::string_view m_what;
  std::size_t m_pos = 0;

  [[noreturn]] void fail() const {
    const std::string_view before = m_text.substr(0, m_pos);
    const std::size_t line = 1 + static_cast<std::size_t>(std::count(
                                     before.begin(), before.end(), '\n'));
    const std::size_t last_break = before.rfind('\n');
    const std::size_t column =
        last_break == std::string_view::npos ? m_pos + 1 : m_pos - last_break;
    throw Error(fmt::format("cannot edit {}: unsupported TOML at {}:{}", m_what,
                            line, column));
  }

  bool at_end() const { return m_pos >= m_text.size(); }
  char peek(std::size_t ahead = 0) const {
    return m_pos + ahead < m_text.size() ? m_text[m_pos + ahead] : '\0';
  }
  bool looking_at(std::string_view token) const {
    return m_text.substr(m_pos, token.size()) == token;
  }
  void expect(std::string_view token) {
    if (!looking_at(token)) {
      fail();
    }
    m_pos += token.size();
  }
  bool at_line_break() const {
    return peek() == '\n' || (peek() == '\r' && peek(1) == '\n');
  }
  void consume_line_break() { m_pos += peek() == '\r' ? 2 : 1; }
  void skip_blanks() {
    while (peek() == ' ' || peek() == '\t') {
      ++m_pos;
    }
  }
  void skip_comment() {
    while (!at_end() && !at_line_break()) {
      ++m_pos;
    }
  }
  // After a statement: blanks, an optional comment, a line break or the end.
  void end_line() {
    skip_blanks();
    if (peek() == '#') {
      skip_comment();
    }
    if (at_end()) {
      return;
    }
    if (!at_line_break()) {
      fail();
    }
    consume_line_break();
  }
  // Inside arrays, line breaks and comments may sit between elements.
  void skip_layout() {
    while (true) {
      skip_blanks();
      if (peek() == '#') {
        skip_comment();
      }
      if (!at_line_break()) {
        return;
      }
      consume_line_break();
    }
  }

  TextKey key() {
    TextKey out;
    out.begin = m_pos;
    while (true) {
      out.parts.push_back(simple_key());
      out.part_ends.push_back(m_pos);
      const std::size_t after_part = m_pos;
      skip_blanks();
      if (peek() != '.') {
        m_pos = after_part;
        return out;
      }
      ++m_pos;
      skip_blanks();
    }
  }

  std::string simple_key() {
    if (peek() == '"') {
      return basic_string();
    }
    if (peek() == '\'') {
      return literal_string();
    }
    const std::size_t begin = m_pos;
    while (is_bare_key_char(peek())) {
      ++m_pos;
    }
    if (m_pos == begin) {
      fail();
    }
    return std::string(m_text.substr(begin, m_pos - begin));
  }

  std::uint32_t hex_digits(int count) {
    std::uint32_t cp = 0;
    for (int i = 0; i < count; ++i) {
      const char c = peek();
      std::uint32_t digit = 0;
      if (is_digit(c)) {
        digit = static_cast<std::uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        digit = static_cast<std::uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        digit = static_cast<std::uint32_t>(c - 'A' + 10);
      } else {
        fail();
      }
      cp = cp * 16 + digit;
      ++m_pos;
    }
    return cp;
  }

  // A single-line basic string, decoded (keys need their real spelling).
  std::string basic_string() {
    ++m_pos;
    std::string out;
    while (true) {
      if (at_end() || at_line_break()) {
        fail();
      }
      const char c = m_text[m_pos++];
      if (c == '"') {
        return out;
      }
      if (c != '\\') {
        out += c;
        continue;
      }
      const char escape = peek();
      ++m_pos;
      if (escape == 'u' || escape == 'U') {
        append_utf8(out, hex_digits(escape == 'u' ? 4 : 8));
        continue;
      }
      // Pairs of (escape letter, character) for TOML's short escapes.
      constexpr std::string_view k_short = "b\bt\tn\nf\fr\r\"\"\\\\";
      std::size_t at = 0;
      while (at < k_short.size() && k_short[at] != escape) {
        at += 2;
      }
      if (at >= k_short.size()) {
        --m_pos;
        fail();
      }
      out += k_short[at + 1];
    }
  }

  std::string literal_string() {
    ++m_pos;
    const std::size_t begin = m_pos;
    const std::size_t close = m_text.find('\'', begin);
    if (close == std::string_view::npos) {
      fail();
    }
    m_pos = close + 1;
    return std::string(m_text.substr(begin, close - begin));
  }

  // """…""" or '''…'''. A closing run of up to five quotes ends the string:
  // the first one or two belong to the content (TOML 1.0 allows that).
  void multiline_string(char quote) {
    m_pos += 3;
    while (true) {
      if (at_end()) {
        fail();
      }
      if (quote == '"' && peek() == '\\') {
        m_pos += 2;
        continue;
      }
      if (peek() == quote && peek(1) == quote && peek(2) == quote) {
        std::size_t run = 3;
        while (run < 5 && peek(run) == quote) {
          ++run;
        }
        m_pos += run;
        return;
      }
      ++m_pos;
    }
  }

  TextValue value() {
    TextValue out;
    out.begin = m_pos;
    const char c = peek();
    if (looking_at("\"\"\"") || looking_at("'''")) {
      multiline_string(c);
    } else if (c == '"') {
      basic_string();
    } else if (c == '\'') {
      literal_string();
    } else if (c == '[') {
      array();
    } else if (c == '{') {
      inline_table(out);
    } else {
      scalar();
    }
    out.end = m_pos;
    return out;
  }

  void array() {
    ++m_pos;
    while (true) {
      skip_layout();
      if (peek() == ']') {
        ++m_pos;
        return;
      }
      value();
      skip_layout();
      if (peek() == ',') {
        ++m_pos;
      } else if (peek() == ']') {
        ++m_pos;
        return;
      } else {
        fail();
      }
    }
  }

  void inline_table(TextValue& out) {
    out.is_inline_table = true;
    ++m_pos;
    skip_blanks();
    if (peek() == '}') {
      ++m_pos;
      return;
    }
    while (true) {
      TextEntry entry;
      entry.key = key();
      skip_blanks();
      expect("=");
      skip_blanks();
      entry.value = value();
      out.entries.push_back(std::move(entry));
      skip_blanks();
      if (peek() == ',') {
        ++m_pos;
        skip_blanks();
      } else if (peek() == '}') {
        ++m_pos;
        return;
      } else {
        fail();
      }
    }
  }

  // Numbers, booleans, dates and times: everything up to a delimiter.
  void scalar() {
    const std::size_t begin = m_pos;
    const auto in_token = [this] {
      const char c = peek();
      return !at_end() && c != ' ' && c != '\t' && c != '\r' && c != '\n' &&
             c != ',' && c != ']' && c != '}' && c != '#';
    };
    while (in_token()) {
      ++m_pos;
    }
    if (m_pos == begin) {
      fail();
    }
    // RFC 3339 lets a date-time use a space instead of 'T':
    // 1979-05-27 07:32:00Z is one value, not a date and a stray token.
    const std::string_view token = m_text.substr(begin, m_pos - begin);
    if (token.size() == 10 && token[4] == '-' && token[7] == '-' &&
        peek() == ' ' && is_digit(peek(1))) {
      ++m_pos;
      while (in_token()) {
        ++m_pos;
      }
    }
  }
};

} // namespace

TextDocument scan_toml_text(std::string_view text, std::string_view what) {
  return Scanner(text, what).run();
}

bool has_prefix(std::span<const std::string> path,
                std::span<const std::string> prefix) {
  return path.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), path.begin());
}

} // namespace xtc::project
