#include "project/cargo_config.hpp"
#include "support/catch.hpp"
#include "support/temp_dir.hpp"

#include <filesystem>

using xtc::project::find_cargo_project;
using xtc::test::ScopedTempDir;

namespace fs = std::filesystem;

namespace {

const char* const k_package = "[package]\nname = \"p\"\nversion = \"0.1.0\"\n";

} // namespace

TEST_CASE("cargo project: a package alone", "[project]") {
  const ScopedTempDir dir;
  dir.write("hello/Cargo.toml", k_package);
  fs::create_directories(dir.path() / "hello" / "src" / "bin");
  CHECK(find_cargo_project(dir.path() / "hello" / "src" / "bin") ==
        dir.path() / "hello");
  CHECK(find_cargo_project(dir.path() / "hello") == dir.path() / "hello");
}

TEST_CASE("cargo project: a member lifts to its workspace root", "[project]") {
  const ScopedTempDir dir;
  dir.write("Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\n");
  dir.write("crates/a/Cargo.toml", k_package);
  fs::create_directories(dir.path() / "crates" / "a" / "src");
  CHECK(find_cargo_project(dir.path() / "crates" / "a" / "src") == dir.path());
}

TEST_CASE("cargo project: a plain-path member deeper down", "[project]") {
  const ScopedTempDir dir;
  dir.write("ws/Cargo.toml",
            "[package]\nname = \"root\"\nversion = \"0.1.0\"\n\n"
            "[workspace]\nmembers = [\"tools/gen\"]\n");
  dir.write("ws/tools/gen/Cargo.toml", k_package);
  CHECK(find_cargo_project(dir.path() / "ws" / "tools" / "gen") ==
        dir.path() / "ws");
}

TEST_CASE("cargo project: an excluded package is its own project",
          "[project]") {
  const ScopedTempDir dir;
  dir.write("Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\n"
                          "exclude = [\"crates/experimental\"]\n");
  dir.write("crates/experimental/Cargo.toml", k_package);
  dir.write("crates/a/Cargo.toml", k_package);
  CHECK(find_cargo_project(dir.path() / "crates" / "experimental") ==
        dir.path() / "crates" / "experimental");
  CHECK(find_cargo_project(dir.path() / "crates" / "a") == dir.path());
}

TEST_CASE("cargo project: a literal member overrides exclude", "[project]") {
  const ScopedTempDir dir;
  dir.write("Cargo.toml", "[workspace]\nmembers = [\"vendor/x\"]\n"
                          "exclude = [\"vendor\"]\n");
  dir.write("vendor/x/Cargo.toml", k_package);
  dir.write("vendor/y/Cargo.toml", k_package);
  CHECK(find_cargo_project(dir.path() / "vendor" / "x") == dir.path());
  CHECK(find_cargo_project(dir.path() / "vendor" / "y") ==
        dir.path() / "vendor" / "y");
}

TEST_CASE("cargo project: a package that is its own workspace", "[project]") {
  const ScopedTempDir dir;
  dir.write("Cargo.toml", "[workspace]\nmembers = [\"inner\"]\n");
  dir.write("inner/Cargo.toml",
            "[package]\nname = \"inner\"\nversion = \"0.1.0\"\n[workspace]\n");
  CHECK(find_cargo_project(dir.path() / "inner") == dir.path() / "inner");
}

TEST_CASE("cargo project: package.workspace names the root", "[project]") {
  const ScopedTempDir dir;
  dir.write("root/Cargo.toml", "[workspace]\n");
  dir.write("root/x/deep/Cargo.toml",
            "[package]\nname = \"deep\"\nworkspace = \"../..\"\n");
  CHECK(find_cargo_project(dir.path() / "root" / "x" / "deep") ==
        dir.path() / "root");
}

TEST_CASE("cargo project: a broken manifest above stops the walk",
          "[project]") {
  const ScopedTempDir dir;
  dir.write("Cargo.toml", "[workspace]\nmembers = [\"ws/*\"]\n");
  dir.write("ws/Cargo.toml", "[workspace\n");
  dir.write("ws/p/Cargo.toml", k_package);
  CHECK(find_cargo_project(dir.path() / "ws" / "p") == dir.path() / "ws" / "p");
}

TEST_CASE("cargo project: none without a Cargo.toml", "[project]") {
  const ScopedTempDir dir;
  fs::create_directories(dir.path() / "a" / "b");
  CHECK_FALSE(find_cargo_project(dir.path() / "a" / "b").has_value());
}
