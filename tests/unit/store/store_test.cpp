#include "base/error.hpp"
#include "platform/file_lock.hpp"
#include "platform/fs.hpp"
#include "store/store.hpp"
#include "store/target_record.hpp"
#include "support/catch.hpp"
#include "support/temp_dir.hpp"

#include <sys/stat.h>

#include <chrono>
#include <thread>

using namespace xtc;

namespace {

store::Store make_store(const test::ScopedTempDir& dir) {
  store::Store store(store::Layout(dir.path() / "home"));
  store.ensure_layout();
  return store;
}

} // namespace

TEST_CASE("layout follows XTC_HOME, else ~/.xtc", "[store]") {
  const test::ScopedTempDir dir;
  Env env = dir.env();
  CHECK(store::Layout::from_env(env).root() == dir.path() / ".xtc");
  env.set("XTC_HOME", "rel/home");
  CHECK(store::Layout::from_env(env).root() == dir.path() / "rel/home");
  const store::Layout layout("/h");
  CHECK(layout.target_record("aarch64-linux-gnu") ==
        "/h/targets/aarch64-linux-gnu.toml");
  CHECK(layout.shim_resolution("aarch64-linux-gnu") ==
        "/h/targets/aarch64-linux-gnu.shim");
  CHECK(layout.cache_entry("ab") == "/h/cache/ab");
}

TEST_CASE("a staged install appears whole on commit, with its receipt",
          "[store]") {
  const test::ScopedTempDir dir;
  const store::Store store = make_store(dir);
  { store::Staging staging(store.layout(), "tc-"); }
  REQUIRE(platform::list_directory(store.layout().tmp()).empty());

  store::Staging staging(store.layout(), "tc-");
  std::filesystem::create_directories(staging.path() / "bin");
  REQUIRE_FALSE(store.is_installed("tc"));
  store::Store::write_receipt(staging.path(),
                              {"tc",
                               "toolchain",
                               "1.0",
                               std::string(64, 'a'),
                               "https://m/tc.tar.xz",
                               42,
                               {"bin/cc", "bin/ar"},
                               {std::string(64, 'b'), std::string(64, 'c')}});
  staging.commit(store.layout().toolchain("tc"));
  REQUIRE(store.is_installed("tc"));
  const auto receipt = store.read_receipt("tc");
  REQUIRE(receipt.has_value());
  CHECK(receipt->version == "1.0");
  CHECK(receipt->bytes == 42);
  CHECK(receipt->files == std::vector<std::string>{"bin/cc", "bin/ar"});
  CHECK(receipt->file_sha256 ==
        std::vector<std::string>{std::string(64, 'b'), std::string(64, 'c')});
  CHECK(store.installed_ids() == std::vector<std::string>{"tc"});
}

TEST_CASE("an abandoned staging directory is removed", "[store]") {
  const test::ScopedTempDir dir;
  const store::Store store = make_store(dir);
  {
    store::Staging staging(store.layout(), "tc-");
    std::filesystem::create_directories(staging.path() / "deep" / "tree");
  }
  REQUIRE(platform::list_directory(store.layout().tmp()).empty());
}

TEST_CASE("sweep removes leftovers whose owner is gone, never a live one",
          "[store]") {
  const test::ScopedTempDir dir;
  const store::Store store = make_store(dir);
  const auto tmp = store.layout().tmp();
  // A killed process's staging dir: its lock file exists but nobody holds it.
  std::filesystem::create_directories(tmp / "xtc-stage.dead-abcdef" / "x");
  dir.write("home/tmp/xtc-stage.dead-abcdef/x/file", std::string(100, 'x'));
  dir.write("home/tmp/xtc-stage.dead-abcdef.lock", "");
  // A live one: somebody holds its lock.
  store::Staging live(store.layout(), "live-");
  // Killed between mkdtemp and its lock file: garbage too.
  std::filesystem::create_directories(tmp / "xtc-stage.unlocked-abcdef");
  // Not named like a staging directory: not xtc's to remove.
  dir.write("home/tmp/notes/todo.txt", "keep me");
  dir.write("home/tmp/dead-abcdef.lock", "");

  // Measuring finds the same and removes nothing.
  CHECK(store.sweep_staging(store::Store::Sweep::measure) == 100);
  CHECK(platform::path_exists(tmp / "xtc-stage.dead-abcdef" / "x" / "file"));
  CHECK(platform::path_exists(tmp / "xtc-stage.unlocked-abcdef"));
  CHECK(store.sweep_staging() == 100);
  const auto left = platform::list_directory(tmp);
  const auto has = [&](const std::string& name) {
    return std::find(left.begin(), left.end(), name) != left.end();
  };
  CHECK_FALSE(has("xtc-stage.dead-abcdef"));
  CHECK_FALSE(has("xtc-stage.dead-abcdef.lock"));
  CHECK(has(live.path().filename().string()));
  CHECK(live.path().filename().string().starts_with("xtc-stage.live-"));
  CHECK_FALSE(has("xtc-stage.unlocked-abcdef"));
  CHECK(test::slurp(tmp / "notes" / "todo.txt") == "keep me");
  CHECK(has("dead-abcdef.lock"));
}

TEST_CASE("a sweep waits for a staging directory being created", "[store]") {
  const test::ScopedTempDir dir;
  const store::Store store = make_store(dir);
  const auto tmp = store.layout().tmp();
  // Another process is inside Staging's constructor: it holds the creation
  // lock, its directory exists, its lock file does not yet.
  auto creating = platform::FileLock::acquire(store.layout().lock("staging"),
                                              platform::FileLock::Mode::shared);
  std::filesystem::create_directories(tmp / "new-abc");
  std::thread sweeper([&store] { store.sweep_staging(); });
  // Long enough for a sweep that did not wait to remove the directory.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto owner = platform::FileLock::acquire(
      tmp / "new-abc.lock", platform::FileLock::Mode::exclusive);
  creating = platform::FileLock::acquire(dir.path() / "released.lock",
                                         platform::FileLock::Mode::shared);
  sweeper.join();
  CHECK(platform::path_exists(tmp / "new-abc"));
  CHECK(platform::path_exists(tmp / "new-abc.lock"));
}

TEST_CASE("remove_install takes the name away in one step", "[store]") {
  const test::ScopedTempDir dir;
  const store::Store store = make_store(dir);
  {
    store::Staging staging(store.layout(), "tc-");
    store::Store::write_receipt(staging.path(),
                                {"tc", "sysroot", "1", "", "", 0, {}, {}});
    std::filesystem::create_directories(staging.path() / "ro");
    ::chmod((staging.path() / "ro").c_str(), 0500);
    staging.commit(store.layout().toolchain("tc"));
  }
  REQUIRE(store.is_installed("tc"));
  store.remove_install("tc");
  CHECK_FALSE(store.is_installed("tc"));
  CHECK_FALSE(platform::path_exists(store.layout().toolchain("tc")));
  CHECK(platform::list_directory(store.layout().tmp()).empty());
}

TEST_CASE("target records round-trip", "[store]") {
  const test::ScopedTempDir dir;
  const store::Store store = make_store(dir);
  const store::TargetRecord record{
      "aarch64-linux-gnu.2.17",
      "aarch64-linux-gnu",
      "aarch64-unknown-linux-gnu",
      "gcc",
      {"gcc-aarch64"},
      {{"cc", {"/x/gcc", "--sysroot=/x"}}, {"ar", {"/x/ar"}}},
      "", // no variant
      {"ZIG_GLOBAL_CACHE_DIR=/h/cache/zig"},
      {{"cc", {"--target=*"}}},
      {{"cc", {"-march=armv7-a", "-mfpu=vfpv3-d16"}}},
      {{"cc", {"/lib/rustlib/aarch64-unknown-linux-gnu/lib"}}}};
  store::write_target_record(store.layout(), record);
  const auto read =
      store::read_target_record(store.layout(), "aarch64-linux-gnu");
  REQUIRE(read.has_value());
  CHECK(read->triple == record.triple);
  CHECK(read->flavor == "gcc");
  CHECK(read->artifacts == record.artifacts);
  CHECK(read->tools == record.tools);
  CHECK(read->env == record.env);
  CHECK(read->drop == record.drop);
  CHECK(read->baseline == record.baseline);
  CHECK(read->linker_dirs == record.linker_dirs);
  CHECK(store::list_target_records(store.layout()).size() == 1);
  CHECK_FALSE(store::read_target_record(store.layout(), "x86_64-linux-musl"));
  // Written without a variant: derived from the flavor and the glibc pin.
  CHECK(read->variant == "gcc-2.17");
}

TEST_CASE("variant records sit beside the default record", "[store]") {
  const test::ScopedTempDir dir;
  const store::Store store = make_store(dir);
  store::TargetRecord record{"x86_64-linux-musl",
                             "x86_64-linux-musl",
                             "x86_64-unknown-linux-musl",
                             "llvm",
                             {"sysroot-x86_64-linux-musl"},
                             {{"cc", {"/usr/bin/clang"}}},
                             "llvm"};
  store::write_variant_record(store.layout(), record);
  record.flavor = record.variant = "zig";
  store::write_variant_record(store.layout(), record);
  store::write_target_record(store.layout(), record);
  CHECK(std::filesystem::exists(store.layout().targets() /
                                "x86_64-linux-musl@llvm.toml"));
  CHECK(store::read_variant_record(store.layout(), "x86_64-linux-musl", "llvm")
            ->flavor == "llvm");
  CHECK_FALSE(
      store::read_variant_record(store.layout(), "x86_64-linux-musl", "gcc"));
  CHECK(store::list_target_records(store.layout()).size() == 1);
  const std::vector<store::TargetRecord> variants =
      store::list_variant_records(store.layout());
  REQUIRE(variants.size() == 2);
  CHECK(variants[0].variant == "llvm");
  CHECK(variants[0].gnu == "x86_64-linux-musl");
  CHECK(variants[1].variant == "zig");
}

TEST_CASE("a damaged receipt is an error that says how to repair it",
          "[store]") {
  const test::ScopedTempDir dir;
  const store::Store store = make_store(dir);
  dir.write("home/toolchains/tc/receipt.toml", "id = \n");
  REQUIRE_THROWS_AS(store.read_receipt("tc"), Error);
}
