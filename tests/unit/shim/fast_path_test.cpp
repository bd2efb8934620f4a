#include "shim/fast_path.hpp"
#include "shim/resolution.hpp"
#include "support/catch.hpp"
#include "support/temp_dir.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

using namespace xtc;

namespace {

// Runs the test's body from `dir` (the fast path looks for xtc.toml from the
// working directory up) and returns to where it was.
class InDirectory {
public:
  explicit InDirectory(const std::filesystem::path& dir)
      : m_previous(std::filesystem::current_path()) {
    std::filesystem::current_path(dir);
  }
  InDirectory(const InDirectory&) = delete;
  InDirectory& operator=(const InDirectory&) = delete;
  ~InDirectory() { std::filesystem::current_path(m_previous); }

private:
  std::filesystem::path m_previous;
};

// Owns argv/envp-style arrays of C strings.
class CStrings {
public:
  explicit CStrings(std::vector<std::string> items)
      : m_items(std::move(items)) {
    for (std::string& item : m_items) {
      m_pointers.push_back(item.data());
    }
    m_pointers.push_back(nullptr);
  }
  char** get() { return m_pointers.data(); }
  int count() const { return static_cast<int>(m_items.size()); }

private:
  std::vector<std::string> m_items;
  std::vector<char*> m_pointers;
};

std::vector<std::string> strings_of(char* const* array) {
  std::vector<std::string> out;
  for (; *array != nullptr; ++array) {
    out.emplace_back(*array);
  }
  return out;
}

bool contains(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

struct Fixture {
  test::ScopedTempDir dir;
  std::string home = (dir.path() / "home").string();
  std::string work = (dir.path() / "work" / "deep").string();

  Fixture() {
    std::filesystem::create_directories(work);
    write_resolution(shim::format_resolution(
        {{{"cc", {"/opt/tc/bin/gcc", "--sysroot=/opt/root"}},
          {"ar", {"/opt/tc/bin/ar"}}},
         {"ZIG_GLOBAL_CACHE_DIR=/home-cache", "NEW_VAR=from-xtc"},
         {{"cc", {"--target=*", "-Wl,--no-undefined-version"}}}}));
  }
  void write_resolution(const std::string& text) const {
    dir.write("home/targets/aarch64-linux-gnu.shim", text);
  }
  std::vector<std::string> env(std::vector<std::string> extra = {}) const {
    std::vector<std::string> env = {
        "XTC_HOME=" + home, "PATH=/usr/bin", "LIBRARY_PATH=/host/lib",
        "BR_COMPILER_PARANOID_UNSAFE_PATH=1", "ZIG_GLOBAL_CACHE_DIR=/mine"};
    env.insert(env.end(), extra.begin(), extra.end());
    return env;
  }
  // The command the fast path prepares for `args`, which it must take.
  std::vector<std::string> fast_args(shim::FastPlan& plan,
                                     std::vector<std::string> args) const {
    CStrings argv(std::move(args));
    CStrings envp(env());
    REQUIRE(plan.prepare(argv.count(), argv.get(), envp.get()));
    return strings_of(plan.args());
  }
};

} // namespace

TEST_CASE("the fast path plans what the full path would exec", "[shim]") {
  const Fixture fixture;
  const InDirectory cwd(fixture.work);
  CStrings argv({"/x/bin/aarch64-linux-gnu-gcc", "-c", "--target=x86_64",
                 "-Wl,--no-undefined-version", "-O2", "a.c"});
  CStrings envp(fixture.env({"XTC_SHIM_DEPTH=2"}));
  const auto plan = std::make_unique<shim::FastPlan>();
  REQUIRE(plan->prepare(argv.count(), argv.get(), envp.get()));

  CHECK(std::string(plan->program()) == "/opt/tc/bin/gcc");
  // Fixed arguments first, then the caller's minus the dropped ones.
  CHECK(strings_of(plan->args()) ==
        std::vector<std::string>{"/opt/tc/bin/gcc", "--sysroot=/opt/root", "-c",
                                 "-O2", "a.c"});
  const std::vector<std::string> env = strings_of(plan->env());
  CHECK(contains(env, "PATH=/usr/bin"));
  CHECK(contains(env, "XTC_HOME=" + fixture.home));
  CHECK_FALSE(contains(env, "LIBRARY_PATH=/host/lib")); // leaked: removed
  CHECK_FALSE(contains(env, "BR_COMPILER_PARANOID_UNSAFE_PATH=1"));
  CHECK(contains(env, "ZIG_GLOBAL_CACHE_DIR=/mine")); // the caller's wins
  CHECK_FALSE(contains(env, "ZIG_GLOBAL_CACHE_DIR=/home-cache"));
  CHECK(contains(env, "NEW_VAR=from-xtc"));
  CHECK(contains(env, "XTC_SHIM_DEPTH=3"));
  CHECK_FALSE(contains(env, "XTC_SHIM_DEPTH=2"));
  CHECK(env.size() == 5);
}

TEST_CASE("the fast path leaves every other call to the full path", "[shim]") {
  const Fixture fixture;
  const InDirectory cwd(fixture.work);
  const auto plan = std::make_unique<shim::FastPlan>();
  // The plan points into the last call's arrays: keep them alive.
  std::unique_ptr<CStrings> argv;
  std::unique_ptr<CStrings> envp;
  const auto prepares = [&](std::vector<std::string> args,
                            std::vector<std::string> env) {
    argv = std::make_unique<CStrings>(std::move(args));
    envp = std::make_unique<CStrings>(std::move(env));
    return plan->prepare(argv->count(), argv->get(), envp->get());
  };
  const std::vector<std::string> gcc = {"aarch64-linux-gnu-gcc", "a.c"};

  CHECK(prepares(gcc, fixture.env()));
  CHECK(prepares({"aarch64-linux-gnu-ar", "rcs"}, fixture.env()));
  // Not a tool name, a tool the target lacks.
  CHECK_FALSE(prepares({"aarch64-linux-gnu-frob"}, fixture.env()));
  CHECK_FALSE(prepares({"aarch64-linux-gnu-nm"}, fixture.env()));
  // Another target, not installed.
  CHECK_FALSE(prepares({"riscv64-linux-gnu-gcc"}, fixture.env()));
  // An override, a trace, a shim loop guard near its limit.
  CHECK_FALSE(
      prepares(gcc, fixture.env({"XTC_TOOLCHAIN_AARCH64_LINUX_GNU=llvm"})));
  CHECK(prepares(gcc, fixture.env({"XTC_TOOLCHAIN_AARCH64_LINUX_GNU="})));
  CHECK_FALSE(prepares(gcc, fixture.env({"XTC_SHIM_TRACE=/tmp/trace"})));
  CHECK_FALSE(prepares(gcc, fixture.env({"XTC_SHIM_DEPTH=7"})));

  SECTION("a host program found on PATH, forced variables: run() sets "
          "those") {
    shim::Resolution resolution = {
        {{"cc", {"/opt/tc/bin/gcc"}}, {"pkg-config", {"pkg-config"}}}, {}, {}};
    fixture.write_resolution(shim::format_resolution(resolution));
    // A program without a '/' would be looked up in the working directory.
    CHECK_FALSE(prepares({"aarch64-linux-gnu-pkg-config", "--libs", "z"},
                         fixture.env()));
    resolution.tools["pkg-config"] = {"/usr/bin/pkg-config"};
    resolution.set["pkg-config"] = {"PKG_CONFIG_LIBDIR=/root/pc"};
    fixture.write_resolution(shim::format_resolution(resolution));
    CHECK_FALSE(prepares({"aarch64-linux-gnu-pkg-config", "--libs", "z"},
                         fixture.env()));
    // Another tool's forced variables do not concern the compiler.
    CHECK(prepares(gcc, fixture.env()));
  }
  SECTION("a pin file above the working directory") {
    fixture.dir.write("work/xtc.toml", "[targets]\n");
    CHECK_FALSE(prepares(gcc, fixture.env()));
  }
  SECTION("a directory named like a pin file is not one") {
    std::filesystem::create_directories(fixture.dir.path() / "work" /
                                        "xtc.toml");
    CHECK(prepares(gcc, fixture.env()));
  }
  SECTION("damaged resolution files") {
    for (const std::string& text :
         {std::string("xtc-shim-resolution 2\ncc\t/gcc\n"),
          std::string("xtc-shim-resolution 1\ncc\n"),
          std::string("xtc-shim-resolution 1\ncc\t\t-x\n"),
          std::string("xtc-shim-resolution 1\ncc\t/gcc\n@env\tNOEQUALS\n"),
          std::string("xtc-shim-resolution 1\ncc\t/gcc\n@env\t=x\n"),
          std::string(40000, 'x')}) {
      fixture.write_resolution(text);
      CHECK_FALSE(prepares(gcc, fixture.env()));
      CHECK_FALSE(shim::parse_resolution(text).has_value());
    }
  }
  SECTION("more @env lines than the plan holds: declined, not overrun") {
    std::string text = "xtc-shim-resolution 1\ncc\t/gcc\n";
    for (int i = 0; i < 300; ++i) {
      text += "@env\tVAR" + std::to_string(i) + "=1\n";
    }
    REQUIRE(shim::parse_resolution(text).has_value());
    fixture.write_resolution(text);
    CHECK_FALSE(prepares(gcc, fixture.env()));
  }
  SECTION("calls beyond the plan's bounds: declined, not overrun") {
    std::vector<std::string> many = gcc;
    many.resize(shim::FastPlan::k_max_args + 1, "-v");
    CHECK_FALSE(prepares(many, fixture.env()));
    many.resize(shim::FastPlan::k_max_args / 2);
    CHECK(prepares(many, fixture.env()));

    std::vector<std::string> crowded = fixture.env();
    for (std::size_t i = 0; i <= shim::FastPlan::k_max_env; ++i) {
      crowded.push_back("V" + std::to_string(i) + "=1");
    }
    CHECK_FALSE(prepares(gcc, crowded));
    crowded.resize(shim::FastPlan::k_max_env / 2);
    CHECK(prepares(gcc, crowded));

    // A working directory too long for the plan's path buffer.
    std::filesystem::path deep = fixture.work;
    while (deep.string().size() < shim::FastPlan::k_max_path) {
      deep /= std::string(200, 'd');
    }
    std::filesystem::create_directories(deep);
    const InDirectory inside(deep);
    CHECK_FALSE(prepares(gcc, fixture.env()));
  }
  SECTION("blank lines and a missing final newline are fine, as in "
          "parse_resolution") {
    const std::string text = "xtc-shim-resolution 1\n\ncc\t/gcc\t-v\n\n"
                             "ar\t/ar";
    REQUIRE(shim::parse_resolution(text).has_value());
    fixture.write_resolution(text);
    CHECK(prepares(gcc, fixture.env()));
    CHECK(strings_of(plan->args()) ==
          std::vector<std::string>{"/gcc", "-v", "a.c"});
  }
}

TEST_CASE("baseline CPU flags follow the fixed arguments unless the caller "
          "chooses a CPU",
          "[shim]") {
  const Fixture fixture;
  const InDirectory cwd(fixture.work);
  shim::Resolution resolution = {
      {{"cc", {"/tc/gcc", "--sysroot=/r"}}, {"ar", {"/tc/ar"}}}, {}, {}};
  resolution.baseline["cc"] = {"-march=armv7-a", "-mfpu=vfpv3-d16"};
  fixture.write_resolution(shim::format_resolution(resolution));
  const auto plan = std::make_unique<shim::FastPlan>();
  const auto args_for = [&](std::vector<std::string> args) {
    return fixture.fast_args(*plan, std::move(args));
  };
  CHECK(args_for({"aarch64-linux-gnu-gcc", "-O2", "a.c"}) ==
        std::vector<std::string>{"/tc/gcc", "--sysroot=/r", "-march=armv7-a",
                                 "-mfpu=vfpv3-d16", "-O2", "a.c"});
  for (const std::string choice :
       {"-march=armv8-a", "-mcpu=cortex-a9", "-mfpu=neon"}) {
    CHECK(args_for({"aarch64-linux-gnu-gcc", choice, "a.c"}) ==
          std::vector<std::string>{"/tc/gcc", "--sysroot=/r", choice, "a.c"});
  }
  // -mtune and -mfloat-abi choose no CPU; other tools get no baseline.
  CHECK(args_for({"aarch64-linux-gnu-gcc", "-mtune=cortex-a9"}).size() == 5);
  CHECK(args_for({"aarch64-linux-gnu-ar", "rcs"}) ==
        std::vector<std::string>{"/tc/ar", "rcs"});
}

TEST_CASE("a -L the full path rewrites for the linker declines the fast path",
          "[shim]") {
  const Fixture fixture;
  const InDirectory cwd(fixture.work);
  shim::Resolution resolution = {{{"cc", {"/tc/gcc"}}}, {}, {}};
  resolution.linker_dirs["cc"] = {"/lib/rustlib/aarch64-unknown-linux-gnu/lib"};
  fixture.write_resolution(shim::format_resolution(resolution));
  const auto plan = std::make_unique<shim::FastPlan>();
  const auto prepares = [&](std::vector<std::string> args) {
    CStrings argv(std::move(args));
    CStrings envp(fixture.env());
    return plan->prepare(argv.count(), argv.get(), envp.get());
  };
  CHECK(prepares({"aarch64-linux-gnu-gcc", "-L", "/opt/lib", "a.o"}));
  CHECK(prepares({"aarch64-linux-gnu-gcc", "-L"}));
  CHECK_FALSE(prepares({"aarch64-linux-gnu-gcc", "-L",
                        "/usr/lib/rustlib/aarch64-unknown-linux-gnu/lib"}));
  CHECK_FALSE(prepares({"aarch64-linux-gnu-gcc",
                        "-L/usr/lib/rustlib/aarch64-unknown-linux-gnu/lib/"}));
  // Another target's Rust libraries are host libraries here.
  CHECK(prepares({"aarch64-linux-gnu-gcc",
                  "-L/usr/lib/rustlib/x86_64-unknown-linux-gnu/lib"}));
}

TEST_CASE("link-only flags reach only calls that link", "[shim]") {
  const Fixture fixture;
  const InDirectory cwd(fixture.work);
  shim::Resolution resolution = {
      {{"cc", {"/clang", "--target=x"}}, {"ar", {"/llvm-ar"}}}, {}, {}};
  resolution.baseline["cc"] = {"-march=pentium4"};
  resolution.link_only["cc"] = {"-fuse-ld=lld", "--ld-path=/ld.lld"};
  fixture.write_resolution(shim::format_resolution(resolution));
  const auto plan = std::make_unique<shim::FastPlan>();
  const auto args_for = [&](std::vector<std::string> args) {
    return fixture.fast_args(*plan, std::move(args));
  };
  CHECK(args_for({"aarch64-linux-gnu-gcc", "a.o", "-o", "a"}) ==
        std::vector<std::string>{"/clang", "--target=x", "-march=pentium4",
                                 "-fuse-ld=lld", "--ld-path=/ld.lld", "a.o",
                                 "-o", "a"});
  for (const std::string stop :
       {"-c", "-S", "-E", "-M", "-MM", "-fsyntax-only"}) {
    CHECK(args_for({"aarch64-linux-gnu-gcc", "-O2", stop, "a.c"}) ==
          std::vector<std::string>{"/clang", "--target=x", "-march=pentium4",
                                   "-O2", stop, "a.c"});
  }
  // -MD and -MMD write dependencies beside a compile or link: it still links.
  CHECK(args_for({"aarch64-linux-gnu-gcc", "-MD", "a.c"}).size() == 7);
  CHECK(args_for({"aarch64-linux-gnu-ar", "rcs", "l.a"}) ==
        std::vector<std::string>{"/llvm-ar", "rcs", "l.a"});
}
