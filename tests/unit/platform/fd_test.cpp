#include "base/error.hpp"
#include "platform/fd.hpp"
#include "support/catch.hpp"
#include "support/temp_dir.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <string>
#include <vector>

using namespace xtc;

TEST_CASE("read_chunks hands over the rest of the file in bounded pieces",
          "[platform]") {
  const test::ScopedTempDir dir;
  const auto path = dir.write("data", "abcdefgh");
  const platform::Fd fd = platform::open_file(path, O_RDONLY, "data");
  char first = 0;
  REQUIRE(::read(fd.get(), &first, 1) == 1); // from the current position on
  std::vector<std::string> pieces;
  platform::read_chunks(fd.get(), 3, "data", path, [&](std::string_view data) {
    pieces.emplace_back(data);
  });
  CHECK(first == 'a');
  CHECK(pieces == std::vector<std::string>{"bcd", "efg", "h"});
}

TEST_CASE("read_chunks names what failed", "[platform]") {
  const test::ScopedTempDir dir;
  const auto path = dir.write("data", "x");
  // Write-only: read(2) fails with EBADF.
  const platform::Fd fd = platform::open_file(path, O_WRONLY, "data");
  try {
    platform::read_chunks(fd.get(), 16, "test data", path,
                          [](std::string_view) {});
    FAIL("read_chunks read a write-only descriptor");
  } catch (const Error& e) {
    CHECK(e.message().starts_with("cannot read test data '" + path.string() +
                                  "': "));
  }
}

TEST_CASE("read_file_if_exists tells a missing file from an empty one",
          "[platform]") {
  const test::ScopedTempDir dir;
  CHECK_FALSE(platform::read_file_if_exists(dir.path() / "none", "x"));
  const auto empty = dir.write("empty", "");
  CHECK(platform::read_file_if_exists(empty, "x") == std::string());
  const std::string big(200000, 'z'); // several chunks
  CHECK(platform::read_file(dir.write("big", big), "x") == big);
}
