#include "base/error.hpp"
#include "platform/fd.hpp"
#include "support/catch.hpp"
#include "support/temp_dir.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
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

TEST_CASE("whole-file reads take regular files of bounded size only",
          "[platform]") {
  const test::ScopedTempDir dir;
  const auto expect = [](const auto& action, const std::string& message) {
    try {
      action();
      FAIL("expected: " + message);
    } catch (const Error& e) {
      CHECK(e.message() == message);
      CHECK_FALSE(e.hint().empty());
    }
  };
  // A device that never ends, directly and through a symlink a repository
  // could carry: refused at once, not read until memory runs out.
  expect([] { platform::read_file("/dev/zero", "manifest"); },
         "cannot read manifest '/dev/zero': not a regular file");
  const auto link = dir.path() / "config.toml";
  std::filesystem::create_symlink("/dev/zero", link);
  expect([&] { platform::read_file_if_exists(link, "cargo config"); },
         "cannot read cargo config '" + link.string() +
             "': not a regular file");
  // A FIFO nobody writes to: refused without waiting for a writer.
  const auto fifo = dir.path() / "fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  expect([&] { platform::read_file(fifo, "pin file"); },
         "cannot read pin file '" + fifo.string() + "': not a regular file");
  expect([&] { platform::read_file(dir.path(), "manifest"); },
         "cannot read manifest '" + dir.path().string() +
             "': not a regular file");
  // Larger than the limit.
  const auto big = dir.write("big", std::string(2048, 'x'));
  expect([&] { platform::read_file(big, "manifest", 1024); },
         "cannot read manifest '" + big.string() +
             "': it is larger than 1.0 KiB");
  CHECK(platform::read_file(big, "manifest", 2048).size() == 2048);
  CHECK_FALSE(platform::read_file_if_exists(dir.path() / "none", "x"));
}

TEST_CASE("sync_to_disk flushes a file and reports a bad descriptor",
          "[platform]") {
  const test::ScopedTempDir dir;
  const auto path = dir.write("data", "abc");
  const platform::Fd fd = platform::open_file(path, O_RDWR, "data");
  CHECK(platform::sync_to_disk(fd.get()));

  int pipe_fds[2] = {-1, -1};
  REQUIRE(::pipe(pipe_fds) == 0);
  const platform::Fd read_end(pipe_fds[0]);
  const platform::Fd write_end(pipe_fds[1]);
  // fsync of a pipe fails with EINVAL; the caller sees false and errno.
  errno = 0;
  CHECK_FALSE(platform::sync_to_disk(write_end.get()));
  CHECK(errno == EINVAL);

  errno = 0;
  CHECK_FALSE(platform::sync_to_disk(-1));
  CHECK(errno == EBADF);
}
