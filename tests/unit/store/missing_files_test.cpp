#include "store/store.hpp"
#include "support/catch.hpp"
#include "support/temp_dir.hpp"

#include <filesystem>

using namespace xtc;

TEST_CASE("missing_files names the receipt's files that are gone", "[store]") {
  const test::ScopedTempDir dir;
  store::Store store(store::Layout(dir.path() / "home"));
  store.ensure_layout();
  const store::Receipt receipt{"tc",
                               "toolchain",
                               "1.0",
                               std::string(64, 'a'),
                               "file:///tc.tar.gz",
                               3,
                               {"bin/cc", "bin/ar", "lib/libc.a"},
                               {}};
  dir.write("home/toolchains/tc/bin/cc", "cc");
  dir.write("home/toolchains/tc/bin/ar", "ar");
  dir.write("home/toolchains/tc/lib/libc.a", "a");
  CHECK(store.missing_files(receipt).empty());

  std::filesystem::remove(dir.path() / "home/toolchains/tc/bin/ar");
  // A symlink in a file's place is not the file the receipt recorded.
  std::filesystem::remove(dir.path() / "home/toolchains/tc/lib/libc.a");
  std::filesystem::create_symlink("/etc/hostname",
                                  dir.path() / "home/toolchains/tc/lib/libc.a");
  CHECK(store.missing_files(receipt) ==
        std::vector<std::string>{"bin/ar", "lib/libc.a"});
}
