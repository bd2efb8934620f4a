// The pin file corpus: every text is read by the shim's strict reader
// (shim::parse_pin_file), by toml++ alone (install::read_pins_as_toml) and by
// the CLI (install::parse_pins, both plus target checks). Where the shim's
// reader accepts a text, toml++ must read the same pins from it; where it
// refuses one, the CLI refuses it too, whether or not it is valid TOML.
#include "base/error.hpp"
#include "install/pins.hpp"
#include "shim/pin_file.hpp"
#include "support/catch.hpp"

#include <toml++/toml.h>

#include <algorithm>

using namespace xtc;

namespace {

struct Case {
  const char* name;
  std::string text;
  // Accepted: the pins, sorted by target. Refused: empty, with `error`.
  std::vector<shim::Pin> pins;
  const char* error = nullptr; // part of the strict reader's message
  bool valid_toml = false;     // for refused texts: does toml++ accept it?
};

shim::Pin pin(std::string target, std::optional<std::string> flavor = {},
              std::optional<std::string> libc = {},
              std::optional<std::string> producer = {}) {
  return {std::move(target), std::move(flavor), std::move(libc),
          std::move(producer)};
}

std::vector<Case> corpus() {
  const std::string musl = "x86_64-linux-musl";
  const std::string gnu = "aarch64-linux-gnu";
  return {
      {"empty file", "", {}},
      {"empty table", "[targets]\n", {}},
      {"documented form",
       "# the targets this project builds for\n[targets]\n"
       "x86_64-linux-musl = {}\n"
       "aarch64-linux-gnu = { flavor = \"llvm\", libc_version = \"2.31\" }\n",
       {pin(gnu, "llvm", "2.31"), pin(musl)}},
      {"spacing, tabs, comments",
       "  [ targets ]  # pins\n\tx86_64-linux-musl={flavor='llvm'}# c\n\n",
       {pin(musl, "llvm")}},
      {"CRLF line ends",
       "[targets]\r\nx86_64-linux-musl = {}\r\n",
       {pin(musl)}},
      {"byte order mark",
       "\xEF\xBB\xBF[targets]\nx86_64-linux-musl = {}\n",
       {pin(musl)}},
      {"quoted key, no final newline",
       "[targets]\n\"aarch64-linux-gnu\" = { libc_version = '2.36' }",
       {pin(gnu, std::nullopt, "2.36")}},
      {"keys in any order",
       "[targets]\naarch64-linux-gnu = { libc_version = \"2.36\", flavor = "
       "\"gcc\" }\n",
       {pin(gnu, "gcc", "2.36")}},
      {"a producer, alone and with a flavor",
       "[targets]\nx86_64-linux-musl = { producer = \"filosottile\" }\n"
       "aarch64-linux-gnu = { flavor = 'gcc', producer = 'bootlin', "
       "libc_version = \"2.31\" }\n",
       {pin(gnu, "gcc", "2.31", "bootlin"),
        pin(musl, std::nullopt, std::nullopt, "filosottile")}},
      {"UTF-8 in a comment",
       "# cibles \xC3\xA9 \xE2\x9C\x93\n[targets]\nx86_64-linux-musl = {}\n",
       {pin(musl)}},

      {"sub-table form",
       "[targets.x86_64-linux-musl]\nflavor = \"llvm\"\n",
       {},
       "dotted key 'targets.x86_64-linux-musl'",
       true},
      {"version in a dotted key",
       "[targets]\nx86_64-linux-gnu.2.17 = {}\n",
       {},
       "dotted key 'x86_64-linux-gnu.2.17'",
       true},
      {"top-level key",
       "x86_64-linux-musl = {}\n",
       {},
       "outside the [targets] table",
       true},
      {"other table", "[tools]\n", {}, "unknown table [tools]", true},
      {"array of tables", "[[targets]]\n", {}, "arrays of tables", true},
      {"escape sequence",
       "[targets]\nx86_64-linux-musl = { flavor = \"ll\\u0076m\" }\n",
       {},
       "escape sequences are not supported",
       true},
      {"unquoted version",
       "[targets]\naarch64-linux-gnu = { libc_version = 2.31 }\n",
       {},
       "must be a quoted string",
       true},
      {"multi-line string",
       "[targets]\nx86_64-linux-musl = { flavor = \"\"\"llvm\"\"\" }\n",
       {},
       "multi-line strings",
       true},
      {"unknown flavor",
       "[targets]\nx86_64-linux-musl = { flavor = \"clang\" }\n",
       {},
       "unknown flavor 'clang'",
       true},
      {"producer not a name",
       "[targets]\nx86_64-linux-musl = { producer = \"FiloSottile\" }\n",
       {},
       "producer 'FiloSottile' of 'x86_64-linux-musl' is not a producer name",
       true},
      {"duplicate producer",
       "[targets]\nx86_64-linux-musl = { producer = \"a\", producer = "
       "\"b\" }\n",
       {},
       "'producer' appears twice"},
      {"unknown key",
       "[targets]\nx86_64-linux-musl = { version = \"1\" }\n",
       {},
       "unknown key 'version'",
       true},
      {"string value",
       "[targets]\nx86_64-linux-musl = \"llvm\"\n",
       {},
       "must be an inline table",
       true},
      {"empty key", "[targets]\n\"\" = {}\n", {}, "empty target name", true},
      {"bad version",
       "[targets]\naarch64-linux-gnu = { libc_version = "
       "\"2..31\" }\n",
       {},
       "is not a version",
       true},
      {"dotted inner key",
       "[targets]\nx86_64-linux-musl = { flavor.name = \"llvm\" }\n",
       {},
       "dotted key 'flavor.name'",
       true},

      {"trailing comma",
       "[targets]\nx86_64-linux-musl = { flavor = \"llvm\", }\n",
       {},
       "trailing comma"},
      {"inline table over two lines",
       "[targets]\nx86_64-linux-musl = { flavor = \"llvm\"\n}\n",
       {},
       "expected ',' or '}'"},
      {"duplicate target",
       "[targets]\nx86_64-linux-musl = {}\n"
       "x86_64-linux-musl = {}\n",
       {},
       "appears twice"},
      {"duplicate table",
       "[targets]\n[targets]\n",
       {},
       "[targets] table appears twice"},
      {"duplicate key",
       "[targets]\nx86_64-linux-musl = { flavor = \"llvm\", flavor = "
       "\"gcc\" }\n",
       {},
       "'flavor' appears twice"},
      {"text after the entry",
       "[targets]\nx86_64-linux-musl = {} zig\n",
       {},
       "unexpected 'zig'"},
      {"unterminated table",
       "[targets]\nx86_64-linux-musl = { flavor = \"llvm\"\n",
       {},
       "expected ',' or '}'"},
      {"unterminated string",
       "[targets]\nx86_64-linux-musl = { flavor = \"llvm }\n",
       {},
       "unterminated string"},
      {"control character",
       "[targets]\nx86_64-linux-musl = {}\x01\n",
       {},
       "control character 0x01"},
      {"invalid UTF-8", "# \xFF\n[targets]\n", {}, "not valid UTF-8"},
  };
}

// The message of the xtc::Error fn throws; empty when it throws none.
template <typename Fn> std::string error_of(Fn&& fn) {
  try {
    fn();
  } catch (const Error& error) {
    return error.message();
  }
  return {};
}

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

std::vector<shim::Pin> sorted(std::vector<shim::Pin> pins) {
  std::sort(pins.begin(), pins.end(),
            [](const shim::Pin& a, const shim::Pin& b) {
              return a.target < b.target;
            });
  return pins;
}

} // namespace

TEST_CASE("the shim's pin reader and toml++ agree on the corpus", "[install]") {
  const std::filesystem::path path = "/p/xtc.toml";
  for (const Case& c : corpus()) {
    INFO(c.name);
    if (c.error == nullptr) {
      CHECK(sorted(shim::parse_pin_file(c.text, path).pins) == c.pins);
      CHECK(install::read_pins_as_toml(c.text, path) == c.pins);
      std::vector<shim::Pin> cli;
      for (const install::PinnedTarget& p :
           install::parse_pins(c.text, path).targets) {
        cli.push_back(p.pin);
      }
      CHECK(sorted(cli) == c.pins);
      continue;
    }
    const std::string message =
        error_of([&] { shim::parse_pin_file(c.text, path); });
    INFO(message);
    CHECK(contains(message, "cannot read pin file '/p/xtc.toml', line "));
    CHECK(contains(message, c.error));
    CHECK_THROWS_AS(install::parse_pins(c.text, path), Error);
    bool toml_accepts = true;
    try {
      install::read_pins_as_toml(c.text, path);
    } catch (const Error&) {
      toml_accepts = false;
    }
    // Valid TOML in a form the shim does not read: the CLI must still
    // refuse it (checked above), or it would install what no shim picks.
    if (c.valid_toml) {
      CHECK_NOTHROW(toml::parse(c.text));
    } else {
      CHECK_FALSE(toml_accepts);
    }
  }
}

TEST_CASE("pin file keys must be GNU names of known targets", "[install]") {
  const std::filesystem::path path = "/p/xtc.toml";
  CHECK(contains(error_of([&] {
                   install::parse_pins(
                       "[targets]\nx86_64-unknown-linux-musl = {}\n", path);
                 }),
                 "write the target 'x86_64-unknown-linux-musl' as "
                 "'x86_64-linux-musl'"));
  CHECK(contains(error_of([&] {
                   install::parse_pins("[targets]\nsparc-linux-gnu = {}\n",
                                       path);
                 }),
                 "unknown target 'sparc-linux-gnu'"));
  CHECK(contains(error_of([&] {
                   install::parse_pins("[targets]\nx86_64-linux-musl = { "
                                       "libc_version = \"1.2\" }\n",
                                       path);
                 }),
                 "libc_version is for glibc"));
  const install::Pins pins = install::parse_pins(
      "[targets]\naarch64-linux-gnu = { flavor = \"zig\", libc_version = "
      "\"2.17\" }\n",
      path);
  REQUIRE(pins.targets.size() == 1);
  CHECK(pins.targets[0].target.display() == "aarch64-linux-gnu.2.17");
  CHECK(pins.targets[0].flavor == manifest::Flavor::zig);
}

TEST_CASE("a pinned producer reaches what xtc install selects with",
          "[install]") {
  const install::Pins pins = install::parse_pins(
      "[targets]\nx86_64-linux-musl = { producer = \"filosottile\" }\n",
      "/p/xtc.toml");
  REQUIRE(pins.targets.size() == 1);
  CHECK(pins.targets[0].producer == "filosottile");
  CHECK_FALSE(pins.targets[0].flavor.has_value());
}
