#include "base/error.hpp"
#include "project/cargo_config.hpp"
#include "project/cmake_toolchain.hpp"
#include "project/cross_target.hpp"
#include "project/meson_cross.hpp"
#include "store/target_record.hpp"
#include "support/catch.hpp"
#include "support/temp_dir.hpp"

#include <fmt/format.h>

#include <sys/stat.h>

#include <filesystem>
#include <string>

using xtc::Env;
using xtc::project::CrossTarget;
using xtc::test::ScopedTempDir;
using xtc::test::slurp;

namespace fs = std::filesystem;
namespace project = xtc::project;
namespace store = xtc::store;
namespace triple = xtc::triple;

namespace {

fs::path golden(const std::string& name) {
  return fs::path(XTC_TEST_DATA_DIR) / "cross_files" / name;
}

// A gcc-flavor toolchain in Debian's layout, with qemu found.
CrossTarget aarch64_gnu() {
  const fs::path bin = "/home/u/.xtc/bin";
  const fs::path root = "/home/u/.xtc/toolchains/gcc-aarch64-linux-gnu";
  return {triple::parse("aarch64-linux-gnu"),
          {{"cc", bin / "aarch64-linux-gnu-gcc"},
           {"cxx", bin / "aarch64-linux-gnu-g++"},
           {"ar", bin / "aarch64-linux-gnu-ar"},
           {"ranlib", bin / "aarch64-linux-gnu-ranlib"},
           {"strip", bin / "aarch64-linux-gnu-strip"}},
          root,
          root / "usr" / "aarch64-linux-gnu",
          {"/usr/bin/qemu-aarch64-static", "-L",
           (root / "usr" / "aarch64-linux-gnu").string()}};
}

// A sysroot-only (llvm flavor) musl target whose root holds lib/.
CrossTarget aarch64_musl() {
  const fs::path bin = "/home/u/.xtc/bin";
  const fs::path root = "/home/u/.xtc/toolchains/sysroot-aarch64-linux-musl";
  return {triple::parse("aarch64-linux-musl"),
          {{"cc", bin / "aarch64-linux-musl-gcc"},
           {"cxx", bin / "aarch64-linux-musl-g++"},
           {"ar", bin / "aarch64-linux-musl-ar"},
           {"ranlib", bin / "aarch64-linux-musl-ranlib"},
           {"strip", bin / "aarch64-linux-musl-strip"}},
          root,
          root,
          {"/usr/bin/qemu-aarch64-static", "-L", root.string()}};
}

// zig: no sysroot flag (libraries and headers are looked for under zig's
// directory), no strip, natively run (no emulator).
CrossTarget x86_64_zig() {
  const fs::path bin = "/home/u/.xtc/bin";
  return {triple::parse("x86_64-linux-gnu"),
          {{"cc", bin / "x86_64-linux-gnu-gcc"},
           {"cxx", bin / "x86_64-linux-gnu-g++"},
           {"ar", bin / "x86_64-linux-gnu-ar"},
           {"ranlib", bin / "x86_64-linux-gnu-ranlib"}},
          std::nullopt,
          std::nullopt,
          {},
          "/home/u/.xtc/toolchains/zig-0.11.0",
          true};
}

void make_executable(const ScopedTempDir& dir, const std::string& relative) {
  const fs::path path = dir.write(relative, "#!/bin/sh\n");
  REQUIRE(::chmod(path.c_str(), 0755) == 0);
}

} // namespace

TEST_CASE("cmake toolchain: Debian-style gcc toolchain with emulator",
          "[project]") {
  CHECK(project::cmake_toolchain_text(aarch64_gnu()) ==
        slurp(golden("aarch64-linux-gnu.cmake")));
}

TEST_CASE("cmake toolchain: musl sysroot", "[project]") {
  CHECK(project::cmake_toolchain_text(aarch64_musl()) ==
        slurp(golden("aarch64-linux-musl.cmake")));
}

TEST_CASE("cmake toolchain: zig, run natively: no sysroot, no strip, no "
          "emulator",
          "[project]") {
  CHECK(project::cmake_toolchain_text(x86_64_zig()) ==
        slurp(golden("x86_64-linux-gnu-zig.cmake")));
}

TEST_CASE("cmake toolchain: a target the host cannot run names its system, "
          "so that CMake cross-compiles",
          "[project]") {
  CrossTarget cross = x86_64_zig();
  const std::string native = project::cmake_toolchain_text(cross);
  CHECK(native.find("CMAKE_SYSTEM_NAME") == std::string::npos);
  cross.native = false;
  const std::string foreign = project::cmake_toolchain_text(cross);
  CHECK(foreign.find("set(CMAKE_SYSTEM_NAME Linux)\n"
                     "set(CMAKE_SYSTEM_PROCESSOR x86_64)\n") !=
        std::string::npos);
}

TEST_CASE("cmake toolchain and meson cross file: the binutils, gcc's LTO "
          "archivers where the toolchain has them, the target pkg-config",
          "[project]") {
  CrossTarget cross = aarch64_gnu();
  const fs::path bin = "/home/u/.xtc/bin";
  for (const char* tool : {"nm", "objcopy", "objdump", "readelf", "addr2line",
                           "gcc-ar", "gcc-ranlib", "pkg-config"}) {
    cross.tools[tool] = bin / (std::string("aarch64-linux-gnu-") + tool);
  }
  const std::string cmake = project::cmake_toolchain_text(cross);
  for (const auto& [variable, tool] :
       {std::pair{"PKG_CONFIG_EXECUTABLE", "pkg-config"},
        {"CMAKE_NM", "nm"},
        {"CMAKE_OBJCOPY", "objcopy"},
        {"CMAKE_OBJDUMP", "objdump"},
        {"CMAKE_READELF", "readelf"},
        {"CMAKE_ADDR2LINE", "addr2line"},
        {"CMAKE_C_COMPILER_AR", "gcc-ar"},
        {"CMAKE_CXX_COMPILER_AR", "gcc-ar"},
        {"CMAKE_C_COMPILER_RANLIB", "gcc-ranlib"},
        {"CMAKE_CXX_COMPILER_RANLIB", "gcc-ranlib"}}) {
    CHECK(cmake.find(fmt::format(
              "set({} \"/home/u/.xtc/bin/aarch64-linux-gnu-{}\" CACHE "
              "FILEPATH \"xtc {}\")\n",
              variable, tool, tool)) != std::string::npos);
  }
  const std::string meson = project::meson_cross_text(cross);
  CHECK(meson.find("pkgconfig = '/home/u/.xtc/bin/aarch64-linux-gnu-"
                   "pkg-config'\n") != std::string::npos);
  for (const char* tool :
       {"nm", "objcopy", "objdump", "readelf", "addr2line", "pkg-config"}) {
    CHECK(
        meson.find(fmt::format("{} = '/home/u/.xtc/bin/aarch64-linux-gnu-{}'\n",
                               tool, tool)) != std::string::npos);
  }
}

TEST_CASE("meson cross file: Debian-style gcc toolchain with emulator",
          "[project]") {
  CHECK(project::meson_cross_text(aarch64_gnu()) ==
        slurp(golden("aarch64-linux-gnu.ini")));
}

TEST_CASE("meson cross file: musl sysroot", "[project]") {
  CHECK(project::meson_cross_text(aarch64_musl()) ==
        slurp(golden("aarch64-linux-musl.ini")));
}

TEST_CASE("meson cross file: no sysroot, no strip, no emulator", "[project]") {
  CHECK(project::meson_cross_text(x86_64_zig()) ==
        slurp(golden("x86_64-linux-gnu-zig.ini")));
}

TEST_CASE("cross files: special characters in paths are escaped", "[project]") {
  CrossTarget cross = x86_64_zig();
  cross.tools["cc"] = "/o'k/\"a\"/$x;y\\z/x86_64-linux-gnu-gcc";
  const std::string cmake = project::cmake_toolchain_text(cross);
  CHECK(cmake.find(R"(set(CMAKE_C_COMPILER "/o'k/\"a\"/\$x\;y\\z/)") !=
        std::string::npos);
  const std::string meson = project::meson_cross_text(cross);
  CHECK(meson.find(R"(c = '/o\'k/"a"/$x;y\\z/x86_64-linux-gnu-gcc')") !=
        std::string::npos);
}

TEST_CASE("cross target: from a record, sysroot and Debian layout",
          "[project]") {
  ScopedTempDir dir;
  const store::Layout layout(dir.path() / "xtc");
  const fs::path root = dir.path() / "tc";
  fs::create_directories(root / "usr" / "aarch64-linux-gnu" / "lib");
  store::TargetRecord record;
  record.tools["cc"] = {"/tc/gcc", "--sysroot=" + root.string(), "-O0"};
  record.tools["cxx"] = {"/tc/g++", "--sysroot=" + root.string()};
  record.tools["ar"] = {"/tc/ar"};
  record.tools["objcopy"] = {"/tc/objcopy"};
  record.tools["pkg-config"] = {"pkg-config"};
  const CrossTarget cross = project::cross_target_from_record(
      triple::parse("arm64-linux-gnu"), record, layout, {"qemu"});
  CHECK(cross.sysroot == root);
  CHECK(cross.target_root == root / "usr" / "aarch64-linux-gnu");
  CHECK(cross.tools.size() == 5);
  CHECK(cross.tools.at("pkg-config") ==
        layout.bin() / "aarch64-linux-gnu-pkg-config");
  CHECK(cross.tools.at("cc") == layout.bin() / "aarch64-linux-gnu-gcc");
  CHECK(cross.tools.at("cxx") == layout.bin() / "aarch64-linux-gnu-g++");
  CHECK(cross.tools.at("ar") == layout.bin() / "aarch64-linux-gnu-ar");
  CHECK(cross.tools.at("objcopy") ==
        layout.bin() / "aarch64-linux-gnu-objcopy");
  CHECK(cross.emulator == std::vector<std::string>{"qemu"});

  // A sysroot with its own lib/ is its own target root; "--sysroot DIR"
  // (two arguments) is read too.
  fs::create_directories(root / "lib");
  record.tools["cc"] = {"/tc/clang", "--target=x", "--sysroot", root.string()};
  const CrossTarget flat = project::cross_target_from_record(
      triple::parse("aarch64-linux-gnu"), record, layout, {});
  CHECK(flat.target_root == root);
  CHECK_FALSE(flat.find_root);

  // zig has no sysroot: the build looks for libraries under zig's own
  // directory, not in the host's /usr.
  record.tools["cc"] = {"/tc/zig-0.11.0/zig", "cc", "-target",
                        "aarch64-linux-musl"};
  const CrossTarget zig = project::cross_target_from_record(
      triple::parse("aarch64-linux-musl"), record, layout, {});
  CHECK_FALSE(zig.sysroot);
  CHECK_FALSE(zig.target_root);
  CHECK(zig.find_root == fs::path("/tc/zig-0.11.0"));
}

TEST_CASE("cross target: Debian's i386 cross toolchain lives in "
          "usr/i686-linux-gnu, its armhf one in usr/arm-linux-gnueabihf",
          "[project]") {
  ScopedTempDir dir;
  const fs::path i686 = dir.path() / "i686";
  fs::create_directories(i686 / "usr" / "i686-linux-gnu" / "lib");
  CHECK(project::target_root_of(triple::parse("i686-linux-gnu"), i686) ==
        i686 / "usr" / "i686-linux-gnu");
  const fs::path armhf = dir.path() / "armhf";
  fs::create_directories(armhf / "usr" / "arm-linux-gnueabihf" / "lib");
  CHECK(
      project::target_root_of(triple::parse("armv7-linux-gnueabihf"), armhf) ==
      armhf / "usr" / "arm-linux-gnueabihf");
  // Neither layout: the sysroot itself.
  CHECK(project::target_root_of(triple::parse("i686-linux-gnu"), armhf) ==
        armhf);
}

TEST_CASE("cross target: a record without a C compiler is an error",
          "[project]") {
  ScopedTempDir dir;
  store::TargetRecord record;
  record.tools["ar"] = {"/tc/ar"};
  CHECK_THROWS_WITH(
      project::cross_target_from_record(triple::parse("aarch64-linux-gnu"),
                                        record, store::Layout(dir.path()), {}),
      "the record of target 'aarch64-linux-gnu' names no C "
      "compiler");
}

TEST_CASE("cross target: a target that is not installed is an error",
          "[project]") {
  ScopedTempDir dir;
  CHECK_THROWS_WITH(project::describe_cross_target(
                        triple::parse("aarch64-linux-musl"),
                        store::Layout(dir.path() / "xtc"), dir.env()),
                    "target 'aarch64-linux-musl' is not installed");
  CHECK_FALSE(fs::exists(dir.path() / "xtc"));
}

TEST_CASE("cross target: qemu-user is the emulator unless the host runs "
          "the target",
          "[project]") {
  ScopedTempDir dir;
  make_executable(dir, "bin/qemu-aarch64-static");
  make_executable(dir, "bin/qemu-arm");
  Env env = dir.env();
  env.set("PATH", (dir.path() / "bin").string());
  const fs::path root = "/sysroot";

  CHECK(project::find_emulator(triple::parse("aarch64-linux-gnu"), root,
                               "x86_64-linux", env) ==
        std::vector<std::string>{
            (dir.path() / "bin" / "qemu-aarch64-static").string(), "-L",
            "/sysroot"});
  CHECK(project::find_emulator(triple::parse("armv7-linux-gnueabihf"),
                               std::nullopt, "x86_64-linux", env) ==
        std::vector<std::string>{(dir.path() / "bin" / "qemu-arm").string()});
  // Native: same architecture and glibc on a Linux host.
  CHECK(project::find_emulator(triple::parse("aarch64-linux-gnu"), root,
                               "aarch64-linux", env)
            .empty());
  // musl programs need musl's loader, which a glibc host lacks.
  CHECK(project::find_emulator(triple::parse("aarch64-linux-musl"), root,
                               "aarch64-linux", env)
            .size() == 3);
  // No qemu for the architecture: no emulator.
  CHECK(project::find_emulator(triple::parse("x86_64-linux-musl"), root,
                               "aarch64-linux", env)
            .empty());
}

TEST_CASE("cargo runner: xtc run where the host runs the target only under "
          "qemu-user",
          "[project]") {
  ScopedTempDir dir;
  make_executable(dir, "bin/qemu-aarch64-static");
  Env env = dir.env();
  env.set("PATH", (dir.path() / "bin").string());
  CHECK(project::cargo_runner(triple::parse("aarch64-unknown-linux-gnu"),
                              "x86_64-linux", env,
                              "xtc") == "xtc run aarch64-linux-gnu");
  CHECK(project::cargo_runner(triple::parse("aarch64-linux-musl"),
                              "x86_64-linux", env, "/opt/xtc/bin/xtc") ==
        "/opt/xtc/bin/xtc run aarch64-linux-musl");
  // The host runs it: Rust's musl programs are static.
  CHECK(project::cargo_runner(triple::parse("aarch64-linux-musl"),
                              "aarch64-linux", env, "xtc")
            .empty());
  // No qemu for the architecture, or a host qemu-user cannot serve.
  CHECK(project::cargo_runner(triple::parse("riscv64-linux-gnu"),
                              "x86_64-linux", env, "xtc")
            .empty());
  CHECK(project::cargo_runner(triple::parse("aarch64-linux-gnu"),
                              "aarch64-darwin", env, "xtc")
            .empty());
  CHECK(project::same_machine(triple::parse("x86_64-linux-musl"),
                              "x86_64-linux"));
  CHECK_FALSE(project::same_machine(triple::parse("x86_64-linux-gnu"),
                                    "x86_64-darwin"));
  CHECK_FALSE(
      project::same_machine(triple::parse("i686-linux-gnu"), "x86_64-linux"));
  // Natively: the same machine, and a glibc target (the host's loader).
  CHECK(project::runs_natively(triple::parse("x86_64-linux-gnu.2.17"),
                               "x86_64-linux"));
  CHECK_FALSE(project::runs_natively(triple::parse("x86_64-linux-musl"),
                                     "x86_64-linux"));
  CHECK_FALSE(project::runs_natively(triple::parse("aarch64-linux-gnu"),
                                     "x86_64-linux"));
}

TEST_CASE("cross files: written atomically, a second write changes nothing",
          "[project]") {
  ScopedTempDir dir;
  const fs::path cmake = project::default_cmake_toolchain_path(
      dir.path(), triple::parse("aarch64-linux-gnu"));
  CHECK(cmake == dir.path() / "cmake" / "xtc-aarch64-linux-gnu.cmake");
  CHECK(project::write_cmake_toolchain(cmake, aarch64_gnu()));
  CHECK(slurp(cmake) == project::cmake_toolchain_text(aarch64_gnu()));
  CHECK_FALSE(project::write_cmake_toolchain(cmake, aarch64_gnu()));

  const fs::path meson = project::default_meson_cross_path(
      dir.path(), triple::parse("aarch64-linux-gnu"));
  CHECK(meson == dir.path() / "xtc-aarch64-linux-gnu.ini");
  CHECK(project::write_meson_cross(meson, aarch64_gnu()));
  CHECK_FALSE(project::write_meson_cross(meson, aarch64_gnu()));
  // A changed target rewrites the file.
  CHECK(project::write_meson_cross(meson, aarch64_musl()));
  CHECK(slurp(meson) == project::meson_cross_text(aarch64_musl()));
  // Only the two files: no temp file left beside them.
  std::size_t entries = 0;
  for (const fs::directory_entry& entry :
       fs::recursive_directory_iterator(dir.path())) {
    entries += entry.is_regular_file() ? 1 : 0;
  }
  CHECK(entries == 2);
}

TEST_CASE("cargo settings: cc-rs's compilers and pkg-config-rs's target "
          "pkg-config, by shim name or by path",
          "[project]") {
  const store::Layout layout("/h");
  const project::CargoTargetSettings named = project::cargo_target_settings(
      triple::parse("aarch64-linux-gnu"), layout, false);
  CHECK(named.env ==
        std::map<std::string, std::string>{
            {"CC_aarch64_unknown_linux_gnu", "aarch64-linux-gnu-gcc"},
            {"CXX_aarch64_unknown_linux_gnu", "aarch64-linux-gnu-g++"},
            {"AR_aarch64_unknown_linux_gnu", "aarch64-linux-gnu-ar"},
            {"PKG_CONFIG_aarch64_unknown_linux_gnu",
             "aarch64-linux-gnu-pkg-config"},
            {"PKG_CONFIG_ALLOW_CROSS_aarch64_unknown_linux_gnu", "1"}});
  const project::CargoTargetSettings absolute = project::cargo_target_settings(
      triple::parse("aarch64-linux-gnu"), layout, true);
  CHECK(absolute.env.at("PKG_CONFIG_aarch64_unknown_linux_gnu") ==
        "/h/bin/aarch64-linux-gnu-pkg-config");
}
