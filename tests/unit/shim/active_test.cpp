#include "base/error.hpp"
#include "shim/active.hpp"
#include "shim/pin_file.hpp"
#include "support/catch.hpp"
#include "support/temp_dir.hpp"

#include <map>

using namespace xtc;

namespace {

constexpr const char* k_target = "aarch64-linux-gnu";

// A home with a default install (gcc) and the variants gcc, llvm, gcc-2.31,
// each resolving "cc" to a program named after it.
store::Layout make_home(const test::ScopedTempDir& dir) {
  const store::Layout layout(dir.path() / "home");
  const auto resolution = [](const std::string& program) {
    return shim::format_resolution({{{"cc", {program}}}, {}, {}});
  };
  dir.write("home/targets/aarch64-linux-gnu.shim", resolution("/default"));
  for (const char* variant : {"gcc", "llvm", "gcc-2.31"}) {
    dir.write(std::string("home/targets/aarch64-linux-gnu@") + variant +
                  ".shim",
              resolution(std::string("/") + variant));
  }
  return layout;
}

shim::Lookup lookup_in(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    const auto it = vars.find(name);
    if (it == vars.end() || it->second.empty()) {
      return std::nullopt;
    }
    return it->second;
  };
}

std::string program(const shim::Active& active) {
  REQUIRE(active.resolution.has_value());
  return active.resolution->tools.at("cc").front();
}

} // namespace

TEST_CASE("variable names and variant names", "[shim]") {
  CHECK(shim::toolchain_variable("aarch64-linux-gnu") ==
        "XTC_TOOLCHAIN_AARCH64_LINUX_GNU");
  CHECK(shim::toolchain_variable("x86_64-linux-gnu.2.17") ==
        "XTC_TOOLCHAIN_X86_64_LINUX_GNU_2_17");
  CHECK(shim::parse_variant("llvm") == shim::Variant{"llvm", std::nullopt});
  CHECK(shim::parse_variant("gcc-2.31") == shim::Variant{"gcc", "2.31"});
  CHECK(shim::parse_variant("gcc-2.31")->name() == "gcc-2.31");
  CHECK(shim::parse_variant("gcc+filosottile") ==
        shim::Variant{"gcc", std::nullopt, "filosottile"});
  CHECK(shim::parse_variant("gcc-2.31+bootlin") ==
        shim::Variant{"gcc", "2.31", "bootlin"});
  CHECK(shim::Variant{"llvm", "2.31", "bootlin"}.name() == "llvm-2.31+bootlin");
  for (const char* bad :
       {"", "clang", "gcc-", "gcc-2.", "gcc-../x", "llvm/..", "gcc-2.31-x",
        "gcc+", "gcc+Filo", "gcc+../x", "gcc+a+b", "+bootlin"}) {
    INFO(bad);
    CHECK_FALSE(shim::parse_variant(bad).has_value());
  }
}

TEST_CASE("the default install serves a target nothing else names", "[shim]") {
  const test::ScopedTempDir dir;
  const store::Layout layout = make_home(dir);
  const shim::Active active =
      shim::find_active(layout, k_target, lookup_in({}), dir.path());
  CHECK(active.source == shim::Source::default_install);
  CHECK(program(active) == "/default");
  CHECK(active.fix == "xtc target add aarch64-linux-gnu");

  const shim::Active other =
      shim::find_active(layout, "riscv64-linux-gnu", lookup_in({}), dir.path());
  CHECK_FALSE(other.resolution.has_value());
  const Error error = shim::not_installed(other, "riscv64-linux-gnu-gcc");
  CHECK(error.message() == "target 'riscv64-linux-gnu' is not installed "
                           "(called as 'riscv64-linux-gnu-gcc')");
  CHECK(error.hint() == "run 'xtc target add riscv64-linux-gnu'");
}

TEST_CASE("the pin file is found from a subdirectory and beats the default",
          "[shim]") {
  const test::ScopedTempDir dir;
  const store::Layout layout = make_home(dir);
  dir.write("proj/xtc.toml",
            "[targets]\naarch64-linux-gnu = { flavor = \"llvm\" }\n");
  dir.write("proj/a/b/file", "");
  const std::filesystem::path cwd = dir.path() / "proj" / "a" / "b";
  CHECK(shim::find_pin_file(cwd) == dir.path() / "proj" / "xtc.toml");
  const shim::Active active =
      shim::find_active(layout, k_target, lookup_in({}), cwd);
  CHECK(active.source == shim::Source::pin_file);
  CHECK(active.origin == (dir.path() / "proj" / "xtc.toml").string());
  CHECK(program(active) == "/llvm");
  CHECK(active.chosen->variant == shim::Variant{"llvm", std::nullopt});

  // A pin file without an entry for the target leaves the default.
  const shim::Active other = shim::find_active(layout, k_target, lookup_in({}),
                                               dir.path() / "elsewhere");
  CHECK(other.source == shim::Source::default_install);
}

TEST_CASE("a glibc pin without a flavor takes gcc, then llvm, then zig",
          "[shim]") {
  const test::ScopedTempDir dir;
  const store::Layout layout = make_home(dir);
  dir.write("proj/xtc.toml",
            "[targets]\naarch64-linux-gnu = { libc_version = \"2.31\" }\n");
  const shim::Active active =
      shim::find_active(layout, k_target, lookup_in({}), dir.path() / "proj");
  CHECK(program(active) == "/gcc-2.31");

  dir.write("proj/xtc.toml",
            "[targets]\naarch64-linux-gnu = { libc_version = \"2.17\" }\n");
  const shim::Active missing =
      shim::find_active(layout, k_target, lookup_in({}), dir.path() / "proj");
  CHECK_FALSE(missing.resolution.has_value());
  CHECK(missing.candidates.size() == 3);
  const Error error = shim::not_installed(missing, "");
  CHECK(error.message() ==
        "pin file '" + (dir.path() / "proj" / "xtc.toml").string() +
            "' asks for aarch64-linux-gnu = { libc_version = \"2.17\" }, "
            "which is not installed");
  CHECK(error.hint() ==
        "run 'xtc install' in '" + (dir.path() / "proj").string() + "'");
}

TEST_CASE("a pinned producer takes only that producer's variant", "[shim]") {
  const test::ScopedTempDir dir;
  const store::Layout layout = make_home(dir);
  dir.write("proj/xtc.toml",
            "[targets]\naarch64-linux-gnu = { producer = \"bootlin\" }\n");
  const shim::Active missing =
      shim::find_active(layout, k_target, lookup_in({}), dir.path() / "proj");
  // The default install and the plain gcc variant are another producer's.
  CHECK_FALSE(missing.resolution.has_value());
  CHECK(shim::not_installed(missing, "").message() ==
        "pin file '" + (dir.path() / "proj" / "xtc.toml").string() +
            "' asks for aarch64-linux-gnu = { producer = \"bootlin\" }, "
            "which is not installed");

  dir.write("home/targets/aarch64-linux-gnu@gcc+bootlin.shim",
            shim::format_resolution({{{"cc", {"/gcc+bootlin"}}}, {}, {}}));
  const shim::Active active =
      shim::find_active(layout, k_target, lookup_in({}), dir.path() / "proj");
  CHECK(program(active) == "/gcc+bootlin");
  CHECK(active.chosen->variant ==
        shim::Variant{"gcc", std::nullopt, "bootlin"});
}

TEST_CASE("the variable beats the pin file", "[shim]") {
  const test::ScopedTempDir dir;
  const store::Layout layout = make_home(dir);
  dir.write("proj/xtc.toml",
            "[targets]\naarch64-linux-gnu = { flavor = \"llvm\" }\n");
  const std::filesystem::path cwd = dir.path() / "proj";
  const shim::Active active = shim::find_active(
      layout, k_target,
      lookup_in({{"XTC_TOOLCHAIN_AARCH64_LINUX_GNU", "gcc-2.31"}}), cwd);
  CHECK(active.source == shim::Source::environment);
  CHECK(program(active) == "/gcc-2.31");

  // An empty variable is unset.
  CHECK(shim::find_active(layout, k_target,
                          lookup_in({{"XTC_TOOLCHAIN_AARCH64_LINUX_GNU", ""}}),
                          cwd)
            .source == shim::Source::pin_file);

  const shim::Active missing = shim::find_active(
      layout, k_target, lookup_in({{"XTC_TOOLCHAIN_AARCH64_LINUX_GNU", "zig"}}),
      cwd);
  CHECK_FALSE(missing.resolution.has_value());
  CHECK(shim::not_installed(missing, "").hint() ==
        "run 'xtc target add aarch64-linux-gnu --flavor zig', or unset "
        "XTC_TOOLCHAIN_AARCH64_LINUX_GNU");

  // A value that is no variant never becomes a path.
  CHECK_THROWS_AS(
      shim::find_active(
          layout, k_target,
          lookup_in({{"XTC_TOOLCHAIN_AARCH64_LINUX_GNU", "../../etc"}}), cwd),
      Error);
}

TEST_CASE("an unreadable pin file stops the shim with its line", "[shim]") {
  const test::ScopedTempDir dir;
  const store::Layout layout = make_home(dir);
  dir.write("proj/xtc.toml", "[targets]\naarch64-linux-gnu = { flavor = }\n");
  try {
    shim::find_active(layout, k_target, lookup_in({}), dir.path() / "proj");
    FAIL("an unreadable pin file was accepted");
  } catch (const Error& error) {
    CHECK(error.message() ==
          "cannot read pin file '" +
              (dir.path() / "proj" / "xtc.toml").string() +
              "', line 2: the value of 'flavor' must be a quoted string, got "
              "'}'");
  }
}
