#include "base/error.hpp"
#include "base/toml_guard.hpp"
#include "install/pins.hpp"
#include "manifest/manifest.hpp"
#include "project/cargo_config.hpp"
#include "support/catch.hpp"
#include "support/temp_dir.hpp"

#include <string>

using namespace xtc;

namespace {

// A dotted key of `parts` components: about 70 KB for the 35,000 that
// overflowed the parser's recursion.
std::string dotted_key(std::size_t parts) {
  std::string key = "a";
  for (std::size_t i = 1; i < parts; ++i) {
    key += ".a";
  }
  return key;
}

void check_refused(const Error& error, std::string_view source,
                   std::size_t line) {
  CHECK(error.message() == "cannot read '" + std::string(source) + "': line " +
                               std::to_string(line) +
                               ": a key has more than 64 dotted parts "
                               "(xtc's limit)");
  CHECK_FALSE(error.hint().empty());
}

} // namespace

TEST_CASE("TOML nesting: real documents pass", "[base]") {
  const std::string text =
      "# a comment with a.b.c.d\n"
      "[target.'cfg(all(target_arch = \"x86_64\"))'.dependencies]\n"
      "pi = 3.14159\nwhen = 1979-05-27T07:32:00.999Z\n"
      "\"quoted.key\".plain = { inline = [1.5, 2.5, [\"x.y.z\"]] }\n"
      "text = \"\"\"\nline.one.two.three\n\"\"\"\n"
      "literal = '''a.b.c'''\n"
      "escaped = \"a\\\"b.c.d.e\"\n"
      "[a . b . c]\n";
  CHECK_NOTHROW(guard_toml_nesting(text, "Cargo.toml"));
  CHECK_NOTHROW(guard_toml_nesting(dotted_key(64) + " = 1\n", "x.toml"));
}

TEST_CASE("TOML nesting: a deep dotted key or header is one clear error",
          "[base]") {
  try {
    guard_toml_nesting("x = 1\n\n" + dotted_key(65) + " = 1\n", "deep.toml");
    FAIL("a 65-part key passed");
  } catch (const Error& error) {
    check_refused(error, "deep.toml", 3);
  }
  try {
    guard_toml_nesting("s = \"\"\"\n\n\"\"\"\n[" + dotted_key(40000) + "]\n",
                       "header.toml");
    FAIL("a 40000-part header passed");
  } catch (const Error& error) {
    check_refused(error, "header.toml", 4);
  }
  // Quoted parts count too.
  std::string quoted = "'q'";
  for (int i = 0; i < 100; ++i) {
    quoted += ".\"q\"";
  }
  CHECK_THROWS_AS(guard_toml_nesting(quoted + " = 1", "q.toml"), Error);
}

TEST_CASE("TOML nesting: deep arrays and inline tables are refused", "[base]") {
  const std::string arrays =
      "a = " + std::string(65, '[') + std::string(65, ']') + "\n";
  CHECK_THROWS_WITH(guard_toml_nesting(arrays, "arrays.toml"),
                    "cannot read 'arrays.toml': line 1: arrays and inline "
                    "tables nest more than 64 deep (xtc's limit)");
  std::string tables = "a = ";
  for (int i = 0; i < 100; ++i) {
    tables += "{b=";
  }
  CHECK_THROWS_AS(guard_toml_nesting(tables, "tables.toml"), Error);
  // Brackets inside strings and comments are text.
  CHECK_NOTHROW(guard_toml_nesting("a = \"" + std::string(100, '[') + "\" # " +
                                       std::string(100, '{'),
                                   "text.toml"));
}

TEST_CASE("TOML nesting: every parser of untrusted TOML is guarded", "[base]") {
  // Each of these crashed with a stack overflow before the guard.
  const std::string deep = dotted_key(40000) + " = 1\n";
  CHECK_THROWS_AS(manifest::parse(deep, "manifest.toml"), Error);
  CHECK_THROWS_AS(install::read_pins_as_toml("[targets]\n" + deep, "xtc.toml"),
                  Error);
  CHECK_THROWS_AS(project::edit_cargo_config(deep, "config.toml", {}, false),
                  Error);
  const test::ScopedTempDir dir;
  dir.write("p/Cargo.toml", deep);
  CHECK_THROWS_AS(project::find_cargo_project(dir.path() / "p"), Error);
}
