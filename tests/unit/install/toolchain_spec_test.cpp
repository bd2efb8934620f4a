// The flavors' rules: zig's target names, the ARMv7 CPU features, the
// glibc pin, the cache under $XTC_HOME and the arguments the shims drop; the
// gcc flavor's baseline CPU and Buildroot's wrapper.
#include "install/toolchain_spec.hpp"
#include "support/catch.hpp"
#include "support/temp_dir.hpp"

#include <algorithm>
#include <string>
#include <vector>

using xtc::manifest::Artifact;
using xtc::manifest::Flavor;

namespace {

Artifact zig_artifact() {
  Artifact zig;
  zig.id = "zig-0.11.0";
  zig.flavor = Flavor::zig;
  zig.host = "x86_64-linux";
  zig.version = "0.11.0";
  zig.tools = {{"cc", "zig"}};
  return zig;
}

xtc::store::TargetRecord describe(const std::string& spelling,
                                  const Artifact& zig) {
  xtc::manifest::Selection selection;
  selection.flavor = Flavor::zig;
  selection.toolchain = &zig;
  const xtc::store::Layout layout("/h");
  const xtc::Env env({}, "/work");
  return xtc::install::describe_target(xtc::triple::parse(spelling), selection,
                                       layout, env);
}

bool contains(const std::vector<std::string>& values, const std::string& v) {
  return std::find(values.begin(), values.end(), v) != values.end();
}

} // namespace

TEST_CASE("zig shims name zig's target and keep the glibc pin", "[install]") {
  const Artifact zig = zig_artifact();
  const xtc::store::TargetRecord record =
      describe("x86_64-linux-gnu.2.17", zig);
  CHECK(record.flavor == "zig");
  CHECK(record.gnu == "x86_64-linux-gnu");
  CHECK(record.rust == "x86_64-unknown-linux-gnu");
  CHECK(record.tools.at("cc") ==
        std::vector<std::string>{"/h/toolchains/zig-0.11.0/zig", "cc",
                                 "-target", "x86_64-linux-gnu.2.17"});
  CHECK(record.tools.at("cxx") ==
        std::vector<std::string>{"/h/toolchains/zig-0.11.0/zig", "c++",
                                 "-target", "x86_64-linux-gnu.2.17"});
  CHECK(record.tools.at("ar") ==
        std::vector<std::string>{"/h/toolchains/zig-0.11.0/zig", "ar"});
  CHECK(record.tools.at("ranlib") ==
        std::vector<std::string>{"/h/toolchains/zig-0.11.0/zig", "ranlib"});
}

TEST_CASE("zig's names for i686, riscv64 and ARMv7", "[install]") {
  const Artifact zig = zig_artifact();
  CHECK(describe("i686-linux-musl", zig).tools.at("cc")[3] == "x86-linux-musl");
  CHECK(describe("riscv64gc-unknown-linux-gnu", zig).tools.at("cc")[3] ==
        "riscv64-linux-gnu");
  const xtc::store::TargetRecord arm = describe("armv7-linux-musleabihf", zig);
  CHECK(arm.tools.at("cc") ==
        std::vector<std::string>{"/h/toolchains/zig-0.11.0/zig", "cc",
                                 "-target", "arm-linux-musleabihf",
                                 "-mcpu=generic+v7a+vfp3-d32+thumb2-neon",
                                 "-fno-lto"});
  CHECK(arm.tools.at("cxx").back() == "-fno-lto");
}

TEST_CASE("zig's caches live under XTC_HOME", "[install]") {
  const xtc::store::TargetRecord record =
      describe("aarch64-linux-musl", zig_artifact());
  CHECK(record.env ==
        std::vector<std::string>{"ZIG_GLOBAL_CACHE_DIR=/h/cache/zig",
                                 "ZIG_LOCAL_CACHE_DIR=/h/cache/zig"});
}

TEST_CASE("zig shims drop the flags zig cc rejects", "[install]") {
  const Artifact zig = zig_artifact();
  const xtc::store::TargetRecord x86 = describe("x86_64-linux-gnu", zig);
  for (const char* tool : {"cc", "cxx"}) {
    INFO(tool);
    const std::vector<std::string>& drop = x86.drop.at(tool);
    CHECK(contains(drop, "--target=*"));
    CHECK(contains(drop, "-Wl,--no-undefined-version"));
    CHECK(contains(drop, "-Wl,-z,nostart-stop-gc"));
    // -march=x86-64-v2 means what it says to zig on x86: kept.
    CHECK_FALSE(contains(drop, "-march=*"));
  }
  CHECK(contains(describe("armv7-linux-gnueabihf", zig).drop.at("cc"),
                 "-march=*"));
  CHECK(
      contains(describe("riscv64-linux-musl", zig).drop.at("cc"), "-march=*"));
  CHECK(x86.drop.count("ar") == 0);
}

namespace {

Artifact gcc_artifact(const std::string& prefix) {
  Artifact gcc;
  gcc.id = "gcc";
  gcc.flavor = Flavor::gcc;
  gcc.host = "x86_64-linux";
  gcc.version = "12";
  gcc.tools = {{"cc", "bin/" + prefix + "-gcc"},
               {"cxx", "bin/" + prefix + "-g++"},
               {"ar", "bin/" + prefix + "-ar"}};
  return gcc;
}

xtc::store::TargetRecord describe_gcc(const std::string& spelling,
                                      const Artifact& gcc,
                                      const std::filesystem::path& home) {
  xtc::manifest::Selection selection;
  selection.flavor = Flavor::gcc;
  selection.toolchain = &gcc;
  const xtc::store::Layout layout(home);
  const xtc::Env env({}, "/work");
  return xtc::install::describe_target(xtc::triple::parse(spelling), selection,
                                       layout, env);
}

} // namespace

TEST_CASE("C and C++ get Rust's baseline CPU on armv7 and i686", "[install]") {
  const xtc::test::ScopedTempDir dir;
  using Flags = std::vector<std::string>;
  const xtc::store::TargetRecord armv7 = describe_gcc(
      "armv7-linux-gnueabihf", gcc_artifact("arm-linux-gnueabihf"), dir.path());
  CHECK(armv7.baseline.at("cc") ==
        Flags{"-march=armv7-a", "-mfpu=vfpv3-d16", "-mfloat-abi=hard"});
  CHECK(armv7.baseline.at("cxx") == armv7.baseline.at("cc"));
  CHECK_FALSE(armv7.baseline.contains("ar"));
  const xtc::store::TargetRecord i686 = describe_gcc(
      "i686-linux-gnu", gcc_artifact("i686-linux-gnu"), dir.path());
  CHECK(i686.baseline.at("cc") == Flags{"-march=pentium4", "-mfpmath=sse"});
  for (const char* same :
       {"x86_64-linux-gnu", "aarch64-linux-musl", "riscv64-linux-gnu"}) {
    CHECK(describe_gcc(same, gcc_artifact("t"), dir.path()).baseline.empty());
  }
  // zig names its CPU itself.
  CHECK(describe("armv7-linux-gnueabihf", zig_artifact()).baseline.empty());
}

TEST_CASE("Buildroot's wrapper gets the target's Rust libraries through the "
          "linker",
          "[install]") {
  const xtc::test::ScopedTempDir dir;
  const Artifact gcc = gcc_artifact("x86_64-buildroot-linux-gnu");
  CHECK(describe_gcc("x86_64-linux-gnu", gcc, dir.path()).linker_dirs.empty());
  // A wrapped gcc: bin/<name>.br_real beside it, as Buildroot installs it.
  dir.write("toolchains/gcc/bin/x86_64-buildroot-linux-gnu-gcc.br_real", "");
  const xtc::store::TargetRecord record =
      describe_gcc("x86_64-linux-gnu", gcc, dir.path());
  CHECK(record.linker_dirs.at("cc") ==
        std::vector<std::string>{"/lib/rustlib/x86_64-unknown-linux-gnu/lib"});
  CHECK_FALSE(record.linker_dirs.contains("cxx")); // g++ is not wrapped here
}

TEST_CASE("the gcc flavor finds the binutils and gcc's LTO tools beside its "
          "compiler",
          "[install]") {
  const xtc::test::ScopedTempDir dir;
  using Flags = std::vector<std::string>;
  Artifact gcc = gcc_artifact("arm-linux-gnueabihf");
  gcc.tools["cc"] = "bin/arm-linux-gnueabihf-gcc-12";
  gcc.sysroot = ".";
  const std::filesystem::path bin = dir.path() / "toolchains" / "gcc" / "bin";
  for (const char* name :
       {"arm-linux-gnueabihf-objdump", "arm-linux-gnueabihf-readelf",
        "arm-linux-gnueabihf-c++filt", "arm-linux-gnueabihf-ld.bfd",
        "arm-linux-gnueabihf-cpp-12", "arm-linux-gnueabihf-gcc-ar-12",
        "arm-linux-gnueabihf-gcc-nm"}) {
    const std::filesystem::path tool =
        dir.write(std::string("toolchains/gcc/bin/") + name, "");
    std::filesystem::permissions(tool, std::filesystem::perms::owner_all);
  }
  // Not executable: not a tool.
  dir.write("toolchains/gcc/bin/arm-linux-gnueabihf-size", "");

  const xtc::store::TargetRecord record =
      describe_gcc("armv7-linux-gnueabihf", gcc, dir.path());
  const std::string sysroot =
      "--sysroot=" + (dir.path() / "toolchains" / "gcc").string();
  CHECK(record.tools.at("objdump") ==
        Flags{(bin / "arm-linux-gnueabihf-objdump").string()});
  CHECK(record.tools.at("readelf") ==
        Flags{(bin / "arm-linux-gnueabihf-readelf").string()});
  CHECK(record.tools.at("c++filt") ==
        Flags{(bin / "arm-linux-gnueabihf-c++filt").string()});
  // gcc's own tools carry the compiler's version suffix, or none.
  CHECK(record.tools.at("gcc-ar") ==
        Flags{(bin / "arm-linux-gnueabihf-gcc-ar-12").string()});
  CHECK(record.tools.at("gcc-nm") ==
        Flags{(bin / "arm-linux-gnueabihf-gcc-nm").string()});
  // The preprocessor and the linkers get the sysroot, as gcc and ld do;
  // the preprocessor also the baseline CPU, which sets its macros.
  CHECK(record.tools.at("cpp") ==
        Flags{(bin / "arm-linux-gnueabihf-cpp-12").string(), sysroot});
  CHECK(record.baseline.at("cpp") == record.baseline.at("cc"));
  CHECK(record.tools.at("ld.bfd") ==
        Flags{(bin / "arm-linux-gnueabihf-ld.bfd").string(), sysroot});
  for (const char* absent :
       {"size", "strings", "as", "ld.gold", "addr2line", "gcc-ranlib"}) {
    CHECK_FALSE(record.tools.contains(absent));
  }

  // What the row names wins over what lies beside the compiler.
  gcc.tools["objdump"] = "other/objdump";
  CHECK(describe_gcc("armv7-linux-gnueabihf", gcc, dir.path())
            .tools.at("objdump")
            .front() == (dir.path() / "toolchains/gcc/other/objdump").string());
  // A compiler not named "<prefix>gcc<suffix>" has nothing found beside it.
  gcc.tools = {{"cc", "bin/cc"}};
  dir.write("toolchains/gcc/bin/objdump", "");
  // (The other tool is the target pkg-config, the host's.)
  CHECK(describe_gcc("armv7-linux-gnueabihf", gcc, dir.path()).tools.size() ==
        2);
}

TEST_CASE("the target pkg-config searches the target's .pc files only",
          "[install]") {
  using Strings = std::vector<std::string>;
  const auto set_of = [](const xtc::store::TargetRecord& record) {
    return record.set.at("pkg-config");
  };

  SECTION("a sysroot in Debian's multiarch layout") {
    const xtc::test::ScopedTempDir dir;
    const std::string r = (dir.path() / "root").string();
    dir.write("root/lib/aarch64-linux-gnu/libc.so.6", "");
    dir.write("root/usr/lib/aarch64-linux-gnu/pkgconfig/libcrypt.pc", "");
    dir.write("root/usr/lib/musl/pkgconfig/x.pc", "");
    dir.write("root/usr/lib/pkgconfig/y.pc", "");
    xtc::store::TargetRecord record;
    xtc::install::set_pkg_config(xtc::triple::parse("aarch64-linux-gnu"),
                                 dir.path() / "root", record);
    CHECK(record.tools.at("pkg-config") == Strings{"pkg-config"});
    const std::string ma = r + "/usr/lib/aarch64-linux-gnu";
    CHECK(set_of(record) ==
          Strings{"PKG_CONFIG_PATH=",
                  "PKG_CONFIG_LIBDIR=" + ma + "/pkgconfig:" + r +
                      "/usr/lib/musl/pkgconfig:" + r + "/usr/lib64/pkgconfig:" +
                      r + "/usr/lib/pkgconfig:" + r + "/usr/share/pkgconfig",
                  "PKG_CONFIG_SYSROOT_DIR=" + r,
                  "PKG_CONFIG_SYSTEM_INCLUDE_PATH=" + r + "/usr/include",
                  "PKG_CONFIG_SYSTEM_LIBRARY_PATH=" + ma + ":" + r +
                      "/usr/lib:" + r + "/usr/lib64:" + r +
                      "/lib/aarch64-linux-gnu:" + r + "/lib:" + r + "/lib64"});
  }
  SECTION("a Debian cross toolchain: the target's files in usr/<triple>") {
    const xtc::test::ScopedTempDir dir;
    const std::string t = (dir.path() / "tc/usr/arm-linux-gnueabihf").string();
    dir.write("tc/usr/arm-linux-gnueabihf/lib/libc.so", "");
    xtc::store::TargetRecord record;
    xtc::install::set_pkg_config(xtc::triple::parse("armv7-linux-gnueabihf"),
                                 dir.path() / "tc", record);
    CHECK(set_of(record) ==
          Strings{"PKG_CONFIG_PATH=",
                  "PKG_CONFIG_LIBDIR=" + t + "/lib/pkgconfig:" + t +
                      "/share/pkgconfig",
                  "PKG_CONFIG_SYSROOT_DIR=" + (dir.path() / "tc").string(),
                  "PKG_CONFIG_SYSTEM_INCLUDE_PATH=" + t + "/include",
                  "PKG_CONFIG_SYSTEM_LIBRARY_PATH=" + t + "/lib"});
  }
  SECTION("no sysroot (zig): nothing to find, and never the host's") {
    const xtc::store::TargetRecord record =
        describe("aarch64-linux-musl", zig_artifact());
    CHECK(record.tools.at("pkg-config") == Strings{"pkg-config"});
    CHECK(set_of(record) == Strings{"PKG_CONFIG_PATH=", "PKG_CONFIG_LIBDIR=",
                                    "PKG_CONFIG_SYSROOT_DIR="});
  }
}
