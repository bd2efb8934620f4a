#include "base/error.hpp"
#include "platform/atomic_file.hpp"
#include "platform/file_lock.hpp"
#include "platform/fs.hpp"
#include "support/catch.hpp"
#include "support/temp_dir.hpp"

#include <sys/stat.h>

using namespace xtc;

TEST_CASE("AtomicFile replaces content only on commit", "[platform]") {
  const test::ScopedTempDir dir;
  const auto path = dir.write("config.toml", "old\n");
  {
    platform::AtomicFile file(path, "config");
    file.write("new\n");
    REQUIRE(test::slurp(path) == "old\n"); // not visible before commit
  }
  REQUIRE(test::slurp(path) == "old\n"); // abandoned: untouched
  REQUIRE(platform::list_directory(dir.path()).size() == 1); // temp removed

  platform::write_file_atomic(path, "new\n", "config");
  REQUIRE(test::slurp(path) == "new\n");
  REQUIRE(platform::list_directory(dir.path()).size() == 1);
}

TEST_CASE("AtomicFile names the file's role when its directory is missing",
          "[platform]") {
  const test::ScopedTempDir dir;
  REQUIRE_THROWS_WITH(
      platform::AtomicFile(dir.path() / "missing" / "f", "cargo config"),
      "cannot write cargo config '" + (dir.path() / "missing" / "f").string() +
          "': No such file or directory");
}

TEST_CASE("FileLock excludes a second holder until released", "[platform]") {
  const test::ScopedTempDir dir;
  const auto path = dir.path() / "locks" / "a.lock";
  {
    platform::FileLock held =
        platform::FileLock::acquire(path, platform::FileLock::Mode::exclusive);
    REQUIRE_FALSE(platform::FileLock::try_acquire(
                      path, platform::FileLock::Mode::exclusive)
                      .has_value());
  }
  REQUIRE(
      platform::FileLock::try_acquire(path, platform::FileLock::Mode::exclusive)
          .has_value());
}

TEST_CASE("TempDir removes its tree unless released", "[platform]") {
  const test::ScopedTempDir dir;
  std::filesystem::path kept;
  {
    platform::TempDir gone(dir.path(), "x-");
    std::filesystem::create_directories(gone.path() / "a" / "b");
    ::chmod((gone.path() / "a").c_str(), 0500); // read-only dirs still go
    platform::TempDir keep(dir.path(), "y-");
    kept = keep.release();
  }
  REQUIRE(platform::list_directory(dir.path()) ==
          std::vector<std::string>{kept.filename().string()});
}

TEST_CASE("link_or_symlink replaces an existing name atomically",
          "[platform]") {
  const test::ScopedTempDir dir;
  const auto target = dir.write("shim", "binary");
  const auto link = dir.write("x86_64-linux-musl-gcc", "stale");
  platform::link_or_symlink(target, link, "shim");
  REQUIRE(test::slurp(link) == "binary");
  struct stat a {};
  struct stat b {};
  REQUIRE(::stat(target.c_str(), &a) == 0);
  REQUIRE(::stat(link.c_str(), &b) == 0);
  REQUIRE(a.st_ino == b.st_ino);
}

TEST_CASE("update_file_atomic leaves identical content alone", "[platform]") {
  const test::ScopedTempDir dir;
  const auto path = dir.path() / "record.toml";
  REQUIRE(platform::update_file_atomic(path, "a = 1\n", "record"));
  struct stat before {};
  REQUIRE(::stat(path.c_str(), &before) == 0);
  REQUIRE_FALSE(platform::update_file_atomic(path, "a = 1\n", "record"));
  struct stat after {};
  REQUIRE(::stat(path.c_str(), &after) == 0);
  CHECK(after.st_ino == before.st_ino); // not replaced by a new file
  REQUIRE(platform::update_file_atomic(path, "a = 2\n", "record"));
  CHECK(test::slurp(path) == "a = 2\n");
}
