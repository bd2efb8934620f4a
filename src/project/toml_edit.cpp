#include "project/toml_edit.hpp"

#include "base/error.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace xtc::project {

namespace {

KeyPath joined(const KeyPath& head, std::span<const std::string> tail) {
  KeyPath out = head;
  out.insert(out.end(), tail.begin(), tail.end());
  return out;
}

std::string format_dotted(std::span<const std::string> parts) {
  std::string out;
  for (const std::string& part : parts) {
    if (!out.empty()) {
      out += '.';
    }
    out += format_key_part(part);
  }
  return out;
}

const TextValue* find_in(const TextValue& value, const KeyPath& at,
                         std::span<const std::string> path) {
  if (std::equal(at.begin(), at.end(), path.begin(), path.end())) {
    return &value;
  }
  if (!value.is_inline_table || !has_prefix(path, at)) {
    return nullptr;
  }
  for (const TextEntry& entry : value.entries) {
    if (const TextValue* hit =
            find_in(entry.value, joined(at, entry.key.parts), path)) {
      return hit;
    }
  }
  return nullptr;
}

struct InlineHit {
  const TextValue* table = nullptr;
  std::size_t depth = 0; // parts of the path the inline table stands for
};

// TOML closes an inline table for good: keys below it can only be added
// inside its braces. Finds the innermost one standing for a prefix of path.
void find_inline_container(const TextValue& value, const KeyPath& at,
                           std::span<const std::string> path, InlineHit& best) {
  if (!value.is_inline_table || at.size() >= path.size() ||
      !has_prefix(path, at)) {
    return;
  }
  if (best.table == nullptr || at.size() > best.depth) {
    best = InlineHit{&value, at.size()};
  }
  for (const TextEntry& entry : value.entries) {
    find_inline_container(entry.value, joined(at, entry.key.parts), path, best);
  }
}

std::string indentation(std::string_view text, const Statement& statement) {
  return std::string(text.substr(statement.line_begin,
                                 statement.key.begin - statement.line_begin));
}

// Inserts a line at `pos`, the end of a statement. A statement at the very
// end of a file without a final line break gets the break before the new
// line instead, so the file keeps its last-byte convention.
std::string insert_line_after(std::string_view text, std::size_t pos,
                              std::string_view line, std::string_view newline) {
  std::string out(text.substr(0, pos));
  if (pos == text.size() && !text.empty() && text.back() != '\n') {
    out.append(newline).append(line);
    return out;
  }
  out.append(line).append(newline).append(text.substr(pos));
  return out;
}

bool is_blank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

// A new table goes last, after one blank line; the file's final line break
// (or its absence) is kept.
std::string append_table(std::string_view text,
                         std::span<const std::string> table,
                         std::string_view line, std::string_view newline) {
  const std::string header = fmt::format("[{}]", format_dotted(table));
  std::string out(text);
  if (text.empty()) {
    return fmt::format("{}{}{}{}", header, newline, line, newline);
  }
  if (text.back() == '\n') {
    const std::string_view body = text.substr(0, text.size() - 1);
    const std::size_t last_break = body.rfind('\n');
    const std::string_view last_line = last_break == std::string_view::npos
                                           ? body
                                           : body.substr(last_break + 1);
    if (!is_blank(last_line)) {
      out.append(newline);
    }
    return out.append(fmt::format("{}{}{}{}", header, newline, line, newline));
  }
  const std::size_t last_break = text.rfind('\n');
  const std::string_view last_line =
      last_break == std::string_view::npos ? text : text.substr(last_break + 1);
  out.append(newline);
  if (!is_blank(last_line)) {
    out.append(newline);
  }
  return out.append(fmt::format("{}{}{}", header, newline, line));
}

} // namespace

std::string detect_newline(std::string_view text) {
  const std::size_t pos = text.find('\n');
  return pos != std::string_view::npos && pos > 0 && text[pos - 1] == '\r'
             ? "\r\n"
             : "\n";
}

std::string quote_basic(std::string_view value) {
  std::string out = "\"";
  for (const char c : value) {
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\b':
      out += "\\b";
      break;
    case '\t':
      out += "\\t";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\f':
      out += "\\f";
      break;
    case '\r':
      out += "\\r";
      break;
    default:
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
        out += fmt::format("\\u{:04X}", static_cast<unsigned>(c));
      } else {
        out += c;
      }
    }
  }
  out += '"';
  return out;
}

std::string format_key_part(std::string_view part) {
  const bool bare =
      !part.empty() && std::all_of(part.begin(), part.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
               (c >= '0' && c <= '9') || c == '_' || c == '-';
      });
  return bare ? std::string(part) : quote_basic(part);
}

const TextValue* find_value(const TextDocument& doc,
                            std::span<const std::string> path) {
  for (const Statement& statement : doc.statements) {
    if (statement.kind != StatementKind::key_value) {
      continue;
    }
    if (const TextValue* hit =
            find_in(statement.value,
                    joined(statement.table, statement.key.parts), path)) {
      return hit;
    }
  }
  return nullptr;
}

std::string replace_value(std::string_view text, const TextValue& token,
                          std::string_view replacement) {
  std::string out(text.substr(0, token.begin));
  out.append(replacement).append(text.substr(token.end));
  return out;
}

std::string insert_value(std::string_view text, const TextDocument& doc,
                         std::span<const std::string> path,
                         std::string_view replacement,
                         std::string_view newline) {
  if (path.size() < 2) {
    throw Error("cannot add a top-level key to a TOML document");
  }
  const std::span<const std::string> parent = path.first(path.size() - 1);
  const std::string leaf = format_key_part(path.back());

  InlineHit container;
  for (const Statement& statement : doc.statements) {
    if (statement.kind == StatementKind::key_value) {
      find_inline_container(statement.value,
                            joined(statement.table, statement.key.parts), path,
                            container);
    }
  }
  if (container.table != nullptr) {
    const std::string entry = fmt::format(
        "{} = {}", format_dotted(path.subspan(container.depth)), replacement);
    const TextValue& table = *container.table;
    std::string out(text);
    if (table.entries.empty()) {
      // "{}" becomes "{ key = v }", "{ }" becomes "{ key = v }".
      const bool tight = text[table.begin + 1] == '}';
      return out.insert(table.begin + 1, " " + entry + (tight ? " " : ""));
    }
    return out.insert(table.entries.back().value.end, ", " + entry);
  }

  // The block of an explicit [parent] header: after its last pair, so the
  // blank lines and comments leading into the next table stay with it.
  for (std::size_t i = 0; i < doc.statements.size(); ++i) {
    const Statement& header = doc.statements[i];
    if (header.kind != StatementKind::table_header ||
        !std::equal(parent.begin(), parent.end(), header.table.begin(),
                    header.table.end())) {
      continue;
    }
    const Statement* anchor = &header;
    for (std::size_t j = i + 1;
         j < doc.statements.size() &&
         doc.statements[j].kind == StatementKind::key_value;
         ++j) {
      anchor = &doc.statements[j];
    }
    const std::string indent =
        anchor == &header ? std::string() : indentation(text, *anchor);
    return insert_line_after(
        text, anchor->end, fmt::format("{}{} = {}", indent, leaf, replacement),
        newline);
  }

  // Dotted keys defining the parent (`target.<t>.runner = …` at the top, or
  // `<t>.runner = …` under [target]): a sibling line after the last one,
  // spelling the shared prefix exactly as that line does.
  const Statement* sibling = nullptr;
  for (const Statement& statement : doc.statements) {
    if (statement.kind == StatementKind::key_value &&
        statement.table.size() < parent.size() &&
        statement.table.size() + statement.key.parts.size() > parent.size() &&
        has_prefix(joined(statement.table, statement.key.parts), parent)) {
      sibling = &statement;
    }
  }
  if (sibling != nullptr) {
    const std::size_t parts = parent.size() - sibling->table.size();
    const std::string_view prefix =
        text.substr(sibling->key.begin,
                    sibling->key.part_ends[parts - 1] - sibling->key.begin);
    return insert_line_after(text, sibling->end,
                             fmt::format("{}{}.{} = {}",
                                         indentation(text, *sibling), prefix,
                                         leaf, replacement),
                             newline);
  }

  // TOML allows a [parent] header even when sub-tables or dotted keys of an
  // ancestor already exist, as long as parent itself was not defined.
  return append_table(text, parent, fmt::format("{} = {}", leaf, replacement),
                      newline);
}

} // namespace xtc::project
