#include "base/error.hpp"
#include "shim/resolution.hpp"
#include "support/catch.hpp"

#include <set>
#include <string>
#include <tuple>

using namespace xtc;

TEST_CASE("shim names split into triple and tool", "[shim]") {
  const auto gcc = shim::parse_invocation("aarch64-linux-musl-gcc");
  REQUIRE(gcc.has_value());
  CHECK(gcc->triple == "aarch64-linux-musl");
  CHECK(gcc->tool == "cc");
  const auto gxx = shim::parse_invocation("x86_64-linux-gnu-g++");
  REQUIRE(gxx.has_value());
  CHECK(gxx->triple == "x86_64-linux-gnu");
  CHECK(gxx->tool == "cxx");
  CHECK(shim::parse_invocation("armv7-linux-gnueabihf-c++")->tool == "cxx");
  CHECK(shim::parse_invocation("x86_64-linux-musl-cc")->tool == "cc");
  CHECK(shim::parse_invocation("x86_64-linux-musl-objcopy")->tool == "objcopy");
  CHECK_FALSE(shim::parse_invocation("gcc").has_value());
  CHECK_FALSE(shim::parse_invocation("-gcc").has_value());
  CHECK_FALSE(shim::parse_invocation("x86_64-linux-musl-python").has_value());
}

TEST_CASE("the longest tool name wins: gcc-ar is not ar of a '-gcc' triple",
          "[shim]") {
  for (const auto& [name, triple, tool] :
       {std::tuple{"aarch64-linux-gnu-gcc-ar", "aarch64-linux-gnu", "gcc-ar"},
        {"aarch64-linux-gnu-gcc-nm", "aarch64-linux-gnu", "gcc-nm"},
        {"aarch64-linux-gnu-gcc-ranlib", "aarch64-linux-gnu", "gcc-ranlib"},
        {"x86_64-linux-musl-c++filt", "x86_64-linux-musl", "c++filt"},
        {"riscv64-linux-gnu-ld.bfd", "riscv64-linux-gnu", "ld.bfd"},
        {"riscv64-linux-gnu-ld", "riscv64-linux-gnu", "ld"},
        {"i686-linux-gnu-objdump", "i686-linux-gnu", "objdump"},
        {"i686-linux-gnu-cpp", "i686-linux-gnu", "cpp"},
        {"i686-linux-gnu-ar", "i686-linux-gnu", "ar"}}) {
    const auto invocation = shim::parse_invocation(name);
    REQUIRE(invocation.has_value());
    CHECK(invocation->triple == triple);
    CHECK(invocation->tool == tool);
  }
}

TEST_CASE("a target gets the always-present shims and those of its tools",
          "[shim]") {
  const auto names_of = [](const std::set<std::string>& tools) {
    std::set<std::string> names;
    for (const shim::ShimName& name : shim::linked_shims(tools)) {
      names.insert(std::string(name.name));
    }
    return names;
  };
  const std::set<std::string> always = {"gcc",     "cc",     "g++",       "c++",
                                        "ar",      "ranlib", "strip",     "nm",
                                        "objcopy", "ld",     "pkg-config"};
  // zig's tools: the eleven, and nothing else.
  CHECK(names_of({"cc", "cxx", "ar", "ranlib", "objcopy"}) == always);
  std::set<std::string> more = always;
  more.insert({"objdump", "gcc-ar", "c++filt"});
  CHECK(names_of({"cc", "objdump", "gcc-ar", "c++filt"}) == more);
  CHECK(shim::linked_shims({}).size() == 11);
  CHECK(shim::shim_names().size() == 24);
  const auto pkg_config =
      shim::parse_invocation("aarch64-linux-gnu-pkg-config");
  REQUIRE(pkg_config.has_value());
  CHECK(pkg_config->triple == "aarch64-linux-gnu");
  CHECK(pkg_config->tool == "pkg-config");
}

TEST_CASE("a resolution round-trips, spaces and all", "[shim]") {
  const shim::Resolution resolution = {
      {
          {"cc",
           {"/Users/Jane Doe/.xtc/clang", "--target=x", "--sysroot=/a b"}},
          {"ar", {"/usr/bin/llvm-ar"}},
      },
      {},
      {}};
  const std::string text = shim::format_resolution(resolution);
  REQUIRE(text.starts_with("xtc-shim-resolution 1\n"));
  REQUIRE(shim::parse_resolution(text) == std::optional(resolution));
}

TEST_CASE("a field with a tab or newline is refused", "[shim]") {
  REQUIRE_THROWS_AS(shim::format_resolution({{{"cc", {"/a\tb"}}}, {}, {}}),
                    Error);
  REQUIRE_THROWS_AS(shim::format_resolution({{{"cc", {"/a\nb"}}}, {}, {}}),
                    Error);
  REQUIRE_THROWS_AS(
      shim::format_resolution({{{"cc", {"/zig"}}}, {"X=/a\nb"}, {}}), Error);
}

TEST_CASE("malformed resolution files are rejected", "[shim]") {
  CHECK_FALSE(shim::parse_resolution("").has_value());
  CHECK_FALSE(
      shim::parse_resolution("xtc-shim-resolution 2\ncc\t/x\n").has_value());
  CHECK_FALSE(
      shim::parse_resolution("xtc-shim-resolution 1\ncc\n").has_value());
}

TEST_CASE("environment and dropped arguments round-trip", "[shim]") {
  const shim::Resolution resolution = {
      {{"cc", {"/z/zig", "cc", "-target", "arm-linux-gnueabihf"}}},
      {"ZIG_GLOBAL_CACHE_DIR=/h/cache/zig", "ZIG_LOCAL_CACHE_DIR=/h/cache/zig"},
      {{"cc", {"--target=*", "-Wl,--no-undefined-version"}}}};
  const std::string text = shim::format_resolution(resolution);
  CHECK(text.find("\n@env\tZIG_GLOBAL_CACHE_DIR=/h/cache/zig\n") !=
        std::string::npos);
  CHECK(text.find("\n@drop\tcc\t--target=*\t-Wl,--no-undefined-version\n") !=
        std::string::npos);
  REQUIRE(shim::parse_resolution(text) == std::optional(resolution));
  // An environment line without a name is damage, not a variable.
  CHECK_FALSE(shim::parse_resolution("xtc-shim-resolution 1\ncc\t/x\n"
                                     "@env\t=v\n")
                  .has_value());
}

TEST_CASE("drop patterns match exactly or by prefix", "[shim]") {
  CHECK(shim::matches_drop("--target=x86_64-unknown-linux-gnu", "--target=*"));
  CHECK_FALSE(shim::matches_drop("-target", "--target=*"));
  CHECK(shim::matches_drop("-Wl,--no-undefined-version",
                           "-Wl,--no-undefined-version"));
  CHECK_FALSE(shim::matches_drop("-Wl,--no-undefined-version-x",
                                 "-Wl,--no-undefined-version"));
  CHECK_FALSE(shim::matches_drop("-march", "-march=*"));
}

TEST_CASE("baseline flags, linker directories and link-only flags round-trip",
          "[shim]") {
  shim::Resolution resolution = {
      {{"cc", {"/tc/gcc"}}, {"cxx", {"/tc/g++"}}}, {}, {}};
  resolution.baseline["cc"] = {"-march=pentium4", "-mfpmath=sse"};
  resolution.linker_dirs["cxx"] = {"/lib/rustlib/i686-unknown-linux-gnu/lib"};
  resolution.link_only["cc"] = {"-fuse-ld=lld", "--ld-path=/usr/bin/ld.lld"};
  const std::string text = shim::format_resolution(resolution);
  CHECK(text.find("\n@link-only\tcc\t-fuse-ld=lld\t--ld-path=/usr/bin/"
                  "ld.lld\n") != std::string::npos);
  CHECK(text.find("\n@baseline\tcc\t-march=pentium4\t-mfpmath=sse\n") !=
        std::string::npos);
  CHECK(text.find("\n@linker-dir\tcxx\t/lib/rustlib/i686-unknown-linux-gnu/"
                  "lib\n") != std::string::npos);
  REQUIRE(shim::parse_resolution(text) == std::optional(resolution));
}

TEST_CASE("a caller's CPU choice and -L directories are recognised", "[shim]") {
  CHECK(shim::chooses_cpu("-march=armv7-a"));
  CHECK(shim::chooses_cpu("-mcpu=cortex-a9"));
  CHECK(shim::chooses_cpu("-mfpu=neon"));
  CHECK_FALSE(shim::chooses_cpu("-mtune=generic"));
  CHECK_FALSE(shim::chooses_cpu("-march"));

  for (const char* stop : {"-c", "-S", "-E", "-M", "-MM", "-fsyntax-only"}) {
    CHECK(shim::stops_before_link(stop));
  }
  for (const char* links : {"-MD", "-MMD", "-MF", "-o", "-cc1", "-shared"}) {
    CHECK_FALSE(shim::stops_before_link(links));
  }

  std::size_t used = 0;
  CHECK(shim::library_dir("-L/a/b", nullptr, used) == "/a/b");
  CHECK(used == 1);
  CHECK(shim::library_dir("-L", "/c", used) == "/c");
  CHECK(used == 2);
  CHECK_FALSE(shim::library_dir("-L", nullptr, used).has_value());
  CHECK_FALSE(shim::library_dir("-l", "/c", used).has_value());

  const std::string_view end = "/lib/rustlib/x86_64-unknown-linux-gnu/lib";
  CHECK(shim::passes_to_linker("/usr/lib/rustlib/x86_64-unknown-linux-gnu/lib",
                               end));
  CHECK(shim::passes_to_linker("/usr/lib/rustlib/x86_64-unknown-linux-gnu/lib/",
                               end));
  CHECK_FALSE(shim::passes_to_linker("/usr/lib", end));
  CHECK_FALSE(shim::passes_to_linker(
      "/a,b/lib/rustlib/x86_64-unknown-linux-gnu/lib", end));
  CHECK_FALSE(shim::passes_to_linker("/usr/lib", ""));
}

TEST_CASE("forced variables round-trip and name the per-target override",
          "[shim]") {
  shim::Resolution resolution = {{{"pkg-config", {"pkg-config"}}}, {}, {}};
  resolution.set["pkg-config"] = {"PKG_CONFIG_PATH=",
                                  "PKG_CONFIG_LIBDIR=/r/usr/lib/pkgconfig"};
  const std::string text = shim::format_resolution(resolution);
  CHECK(text.find("\n@set\tpkg-config\tPKG_CONFIG_PATH=\tPKG_CONFIG_LIBDIR="
                  "/r/usr/lib/pkgconfig\n") != std::string::npos);
  REQUIRE(shim::parse_resolution(text) == std::optional(resolution));
  // A forced "variable" without a name is damage.
  CHECK_FALSE(shim::parse_resolution("xtc-shim-resolution 1\ncc\t/x\n"
                                     "@set\tcc\tNOEQUALS\n")
                  .has_value());
  CHECK_FALSE(shim::parse_resolution("xtc-shim-resolution 1\ncc\t/x\n"
                                     "@set\tcc\t=v\n")
                  .has_value());

  CHECK(shim::per_target_variable("PKG_CONFIG_PATH", "aarch64-linux-gnu") ==
        "PKG_CONFIG_PATH_aarch64_linux_gnu");
  CHECK(
      shim::per_target_variable("PKG_CONFIG_LIBDIR", "x86_64-linux-gnu.2.17") ==
      "PKG_CONFIG_LIBDIR_x86_64_linux_gnu_2_17");
  CHECK(shim::host_program_names("pkg-config") ==
        std::vector<std::string_view>{"pkg-config", "pkgconf"});
  CHECK(shim::host_program_names("qemu-arm") ==
        std::vector<std::string_view>{"qemu-arm"});
}
