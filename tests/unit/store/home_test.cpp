#include "base/error.hpp"
#include "platform/fs.hpp"
#include "store/gc.hpp"
#include "store/home.hpp"
#include "store/store.hpp"
#include "support/catch.hpp"
#include "support/temp_dir.hpp"

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>

using namespace xtc;

namespace {

// What a user's home directory looks like when XTC_HOME points at it by
// mistake: files of their own, among them a tmp/ and a cache/ that happen
// to share names with xtc's.
void fill_user_home(const test::ScopedTempDir& dir) {
  dir.write("home/tmp/draft.txt", "unsaved work");
  dir.write("home/tmp/build-abc123/notes", "more work");
  dir.write("home/cache/0123456789abcdef0123456789abcdef0123456789abcdef0123456"
            "789abcdef",
            "a file named like a download");
  dir.write("home/.bashrc", "export PATH");
}

void check_user_home_intact(const test::ScopedTempDir& dir) {
  CHECK(test::slurp(dir.path() / "home/tmp/draft.txt") == "unsaved work");
  CHECK(test::slurp(dir.path() / "home/tmp/build-abc123/notes") == "more work");
  CHECK(platform::list_directory(dir.path() / "home/cache").size() == 1);
  CHECK_FALSE(platform::path_exists(dir.path() / "home/.xtc-home"));
  CHECK_FALSE(platform::path_exists(dir.path() / "home/toolchains"));
}

} // namespace

TEST_CASE("xtc marks the home it creates, and an empty one it is given",
          "[store]") {
  const test::ScopedTempDir dir;
  const store::Layout fresh(dir.path() / "new");
  CHECK(store::inspect_home(fresh) == store::HomeState::absent);
  CHECK_FALSE(store::owns_home(fresh));
  store::claim_home(fresh);
  CHECK(store::inspect_home(fresh) == store::HomeState::marked);
  CHECK(platform::path_exists(fresh.root() / ".xtc-home"));

  std::filesystem::create_directories(dir.path() / "empty");
  const store::Layout empty(dir.path() / "empty");
  CHECK(store::inspect_home(empty) == store::HomeState::empty);
  store::Store(empty).ensure_layout();
  CHECK(store::inspect_home(empty) == store::HomeState::marked);
  CHECK(store::owns_home(empty));
}

TEST_CASE("a home another xtc is creating right now is never taken for "
          "someone else's",
          "[store]") {
  // One xtc creates each home (marker first, then its directories) while
  // another looks at it again and again, as parallel `xtc target add`s on a
  // new XTC_HOME do. Every look must see it absent, empty or marked: a look
  // that missed the marker but listed what came after it called the home
  // foreign and failed the add.
  const test::ScopedTempDir dir;
  int foreign = 0;
  int looks = 0;
  for (int round = 0; round < 300 && foreign == 0; ++round) {
    const store::Layout layout(dir.path() / std::to_string(round));
    std::atomic<bool> done = false;
    std::thread creator([&] {
      store::Store(layout).ensure_layout();
      done = true;
    });
    while (!done) {
      ++looks;
      if (store::inspect_home(layout) == store::HomeState::foreign) {
        ++foreign;
      }
    }
    creator.join();
  }
  INFO(looks << " looks");
  CHECK(foreign == 0);
}

TEST_CASE("a directory that is not xtc's is never written to or swept",
          "[store]") {
  const test::ScopedTempDir dir;
  fill_user_home(dir);
  const store::Layout layout(dir.path() / "home");
  CHECK(store::inspect_home(layout) == store::HomeState::foreign);
  const store::Store store(layout);

  const auto refused = [&](const auto& action) {
    try {
      action();
      FAIL("expected the home to be refused");
    } catch (const Error& error) {
      CHECK(error.message().find("is not an xtc home") != std::string::npos);
      CHECK(error.message().find(layout.root().string()) != std::string::npos);
      CHECK(error.hint().find("touch") != std::string::npos);
    }
  };
  refused([&] { store.ensure_layout(); });
  refused([&] { store.sweep_staging(); });
  refused([&] { store.sweep_staging(store::Store::Sweep::measure); });
  refused([&] { store::collect_garbage(store); });
  refused([&] { store.remove_install("tmp"); });
  check_user_home_intact(dir);
}

TEST_CASE("a home made before the marker existed is recognised strictly",
          "[store]") {
  const test::ScopedTempDir dir;
  for (const char* name :
       {"bin", "toolchains", "targets", "cache", "locks", "tmp", "manifests"}) {
    std::filesystem::create_directories(dir.path() / "old" / name);
  }
  const store::Layout old(dir.path() / "old");
  CHECK(store::inspect_home(old) == store::HomeState::legacy);
  CHECK(store::owns_home(old));
  CHECK(store::inspect_home(old) == store::HomeState::marked);

  // The same names plus one xtc never makes: someone else's.
  for (const char* name : {"bin", "toolchains", "targets", "locks"}) {
    std::filesystem::create_directories(dir.path() / "mixed" / name);
  }
  dir.write("mixed/Documents/letter.txt", "dear");
  CHECK(store::inspect_home(store::Layout(dir.path() / "mixed")) ==
        store::HomeState::foreign);
  // Only some of xtc's names, as a bare account's home might have.
  std::filesystem::create_directories(dir.path() / "bare/bin");
  std::filesystem::create_directories(dir.path() / "bare/tmp");
  CHECK(store::inspect_home(store::Layout(dir.path() / "bare")) ==
        store::HomeState::foreign);
}

TEST_CASE("gc removes only what xtc put in its cache", "[store]") {
  const test::ScopedTempDir dir;
  const store::Store store(store::Layout(dir.path() / "home"));
  store.ensure_layout();
  const std::string sha(64, 'a');
  dir.write("home/cache/" + sha, "unused download");
  dir.write("home/cache/" + std::string(64, 'b') + ".part", "partial");
  dir.write("home/cache/README", "someone's note");
  dir.write("home/cache/" + std::string(64, 'C'), "upper-case: not a digest");
  const store::Collected collected = store::collect_garbage(store);
  CHECK(collected.downloads == 2);
  const std::vector<std::string> left =
      platform::list_directory(store.layout().cache());
  CHECK(left == std::vector<std::string>{std::string(64, 'C'), "README"});
}
