#include "base/toml_guard.hpp"

#include "base/error.hpp"

#include <fmt/format.h>

namespace xtc {
namespace {

bool is_bare_key_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '-';
}

class Scanner {
public:
  Scanner(std::string_view text, std::string_view source)
      : m_text(text), m_source(source) {}

  void run() {
    while (m_at < m_text.size()) {
      const char c = m_text[m_at];
      if (c == '#') {
        skip_comment();
      } else if (c == '"' || c == '\'') {
        skip_string(c);
        component();
      } else if (is_bare_key_char(c)) {
        while (m_at < m_text.size() && is_bare_key_char(m_text[m_at])) {
          ++m_at;
        }
        component();
      } else if (c == '.' && m_parts > 0 && !m_after_dot) {
        m_after_dot = true;
        ++m_at;
      } else if (c == ' ' || c == '\t') {
        ++m_at; // "a . b" is a dotted key too
      } else {
        nest(c);
        end_chain();
        ++m_at;
      }
    }
  }

private:
  // A run of parts joined by dots: a dotted key or header, or a value such
  // as 3.14 or 07:32:00.999 (at most two parts). Only keys get long.
  void component() {
    m_parts = m_after_dot ? m_parts + 1 : 1;
    m_after_dot = false;
    if (m_parts > k_max_toml_key_parts) {
      fail(fmt::format("a key has more than {} dotted parts",
                       k_max_toml_key_parts));
    }
  }

  void end_chain() {
    m_parts = 0;
    m_after_dot = false;
  }

  void nest(char c) {
    if (c == '\n') {
      ++m_line;
    } else if (c == '[' || c == '{') {
      if (++m_depth > k_max_toml_nesting) {
        fail(fmt::format("arrays and inline tables nest more than {} deep",
                         k_max_toml_nesting));
      }
    } else if ((c == ']' || c == '}') && m_depth > 0) {
      --m_depth;
    }
  }

  void skip_comment() {
    while (m_at < m_text.size() && m_text[m_at] != '\n') {
      ++m_at;
    }
  }

  // Skips a basic ("…", """…""") or literal ('…', '''…''') string; an
  // unterminated one ends the scan, and the parser reports it.
  void skip_string(char quote) {
    const bool multiline = three_at(quote);
    m_at += multiline ? 3 : 1;
    while (m_at < m_text.size()) {
      const char c = m_text[m_at];
      if (c == '\\' && quote == '"') {
        if (m_at + 1 < m_text.size() && m_text[m_at + 1] == '\n') {
          ++m_line; // a line-ending backslash
        }
        m_at += 2;
        continue;
      }
      if (c == '\n') {
        if (!multiline) {
          return; // unterminated: the newline ends the scan's interest
        }
        ++m_line;
      }
      if (c == quote) {
        if (!multiline) {
          ++m_at;
          return;
        }
        if (three_at(quote)) {
          m_at += 3;
          // Up to two more quotes belong to the content ("""a"""").
          while (m_at < m_text.size() && m_text[m_at] == quote) {
            ++m_at;
          }
          return;
        }
      }
      ++m_at;
    }
  }

  bool three_at(char quote) const {
    return m_at + 2 < m_text.size() && m_text[m_at] == quote &&
           m_text[m_at + 1] == quote && m_text[m_at + 2] == quote;
  }

  [[noreturn]] void fail(const std::string& what) const {
    throw Error(fmt::format("cannot read '{}': line {}: {} (xtc's limit)",
                            m_source, m_line, what),
                "no real configuration nests that deeply: the file is "
                "damaged or was made to crash TOML parsers");
  }

  std::string_view m_text;
  std::string_view m_source;
  std::size_t m_at = 0;
  std::size_t m_line = 1;
  std::size_t m_parts = 0;
  bool m_after_dot = false;
  std::size_t m_depth = 0;
};

} // namespace

void guard_toml_nesting(std::string_view text, std::string_view source) {
  Scanner(text, source).run();
}

} // namespace xtc
