#include "base/strings.hpp"
#include "support/catch.hpp"

#include <string>
#include <vector>

using namespace xtc;

TEST_CASE("split keeps empty fields", "[base]") {
  const std::vector<std::string> parts = split("a::b:", ':');
  REQUIRE(parts == std::vector<std::string>{"a", "", "b", ""});
}

TEST_CASE("edit distance counts insertions, deletions and substitutions",
          "[base]") {
  CHECK(edit_distance("musl", "musl") == 0);
  CHECK(edit_distance("mus", "musl") == 1);
  CHECK(edit_distance("x86_64-linux-gnu", "x86_64-linux-gnv") == 1);
  CHECK(edit_distance("", "abc") == 3);
}

TEST_CASE("nearest suggests only plausible typos", "[base]") {
  const std::vector<std::string> names = {"target", "show", "which"};
  REQUIRE(nearest("targt", names) == std::optional<std::string>("target"));
  REQUIRE_FALSE(nearest("completely-different", names).has_value());
}

TEST_CASE("shell_quote leaves plain words and quotes the rest", "[base]") {
  CHECK(shell_quote("--sysroot=/a/b") == "--sysroot=/a/b");
  CHECK(shell_quote("a b") == "'a b'");
  CHECK(shell_quote("it's") == "'it'\\''s'");
  CHECK(shell_quote("") == "''");
}

TEST_CASE("human_bytes picks a readable unit", "[base]") {
  CHECK(human_bytes(512) == "512 B");
  CHECK(human_bytes(1536) == "1.5 KiB");
  CHECK(human_bytes(27ULL << 20U) == "27.0 MiB");
}
