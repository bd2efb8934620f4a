#include "base/error.hpp"
#include "project/toml_edit.hpp"
#include "project/toml_text.hpp"
#include "support/catch.hpp"

#include <string>
#include <string_view>

using xtc::project::KeyPath;
using xtc::project::scan_toml_text;
using xtc::project::StatementKind;
using xtc::project::TextDocument;
using xtc::project::TextValue;

namespace {

std::string_view token(std::string_view text, const TextValue& value) {
  return text.substr(value.begin, value.end - value.begin);
}

} // namespace

TEST_CASE("toml text: keys are decoded, headers set the table", "[project]") {
  const std::string text =
      "a.\"k\\u00e9y\\t\" . 'lit.eral' = 1\n[ t . \"x\" ]\nb = 2\n";
  const TextDocument doc = scan_toml_text(text, "t");
  REQUIRE(doc.statements.size() == 3);
  CHECK(doc.statements[0].key.parts ==
        KeyPath{"a", "k\xC3\xA9y\t", "lit.eral"});
  CHECK(doc.statements[1].kind == StatementKind::table_header);
  CHECK(doc.statements[1].table == KeyPath{"t", "x"});
  CHECK(doc.statements[2].table == KeyPath{"t", "x"});
  CHECK(doc.statements[2].line_begin == text.find("b = 2"));
}

TEST_CASE("toml text: value tokens span multi-line values exactly",
          "[project]") {
  const std::string text = "x = [1, # one\n  2, ]  # tail\r\n"
                           "s = \"\"\"a\"\"\"\"\"\n"
                           "d = 1979-05-27 07:32:00Z\n"
                           "i = { a = 1, b.c = 'x' }";
  const TextDocument doc = scan_toml_text(text, "t");
  REQUIRE(doc.statements.size() == 4);
  CHECK(token(text, doc.statements[0].value) == "[1, # one\n  2, ]");
  CHECK(doc.statements[0].end == text.find("s = "));
  CHECK(token(text, doc.statements[1].value) == "\"\"\"a\"\"\"\"\"");
  CHECK(token(text, doc.statements[2].value) == "1979-05-27 07:32:00Z");
  const TextValue& table = doc.statements[3].value;
  CHECK(table.is_inline_table);
  REQUIRE(table.entries.size() == 2);
  CHECK(table.entries[1].key.parts == KeyPath{"b", "c"});
  CHECK(token(text, table.entries[1].value) == "'x'");
  CHECK(doc.statements[3].end == text.size());
}

TEST_CASE("toml text: unknown syntax is refused with its position",
          "[project]") {
  REQUIRE_THROWS_WITH(
      scan_toml_text("a = 1\nb = \"\\e\"\n", "cargo config 'c'"),
      "cannot edit cargo config 'c': unsupported TOML at 2:7");
}

TEST_CASE("toml edit: strings and keys are quoted only as needed",
          "[project]") {
  CHECK(xtc::project::quote_basic("a\\b\"c\td\x01") ==
        "\"a\\\\b\\\"c\\td\\u0001\"");
  CHECK(xtc::project::format_key_part("CC_x86_64-unknown") ==
        "CC_x86_64-unknown");
  CHECK(xtc::project::format_key_part("cfg(unix)") == "\"cfg(unix)\"");
  CHECK(xtc::project::format_key_part("") == "\"\"");
  CHECK(xtc::project::detect_newline("a = 1\r\nb = 2\n") == "\r\n");
  CHECK(xtc::project::detect_newline("a = 1") == "\n");
}
