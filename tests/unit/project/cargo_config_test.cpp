#include "base/error.hpp"
#include "project/cargo_config.hpp"
#include "support/catch.hpp"
#include "support/temp_dir.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <string>

using xtc::project::cargo_config_path;
using xtc::project::CargoEdit;
using xtc::project::CargoTargetSettings;
using xtc::project::edit_cargo_config;
using xtc::project::update_cargo_config;
using xtc::test::ScopedTempDir;
using xtc::test::slurp;

namespace fs = std::filesystem;

namespace {

CargoTargetSettings musl_settings() {
  return {"x86_64-unknown-linux-musl",
          "x86_64-linux-musl-gcc",
          {{"AR_x86_64_unknown_linux_musl", "x86_64-linux-musl-ar"},
           {"CC_x86_64_unknown_linux_musl", "x86_64-linux-musl-gcc"}}};
}

fs::path golden_dir(const std::string& name) {
  return fs::path(XTC_TEST_DATA_DIR) / "cargo_config" / name;
}

// One golden case: before.toml edited gives after.toml (and after_force.toml
// with --force when that file exists); editing the result changes nothing.
void check_golden(const std::string& name, std::size_t warnings) {
  const std::string before = slurp(golden_dir(name) / "before.toml");
  const std::string after = slurp(golden_dir(name) / "after.toml");
  const CargoEdit edit =
      edit_cargo_config(before, "config.toml", musl_settings(), false);
  CHECK(edit.text == after);
  CHECK(edit.changed == (before != after));
  CHECK(edit.warnings.size() == warnings);

  const CargoEdit again =
      edit_cargo_config(edit.text, "config.toml", musl_settings(), false);
  CHECK_FALSE(again.changed);
  CHECK(again.text == edit.text);

  const fs::path forced_file = golden_dir(name) / "after_force.toml";
  if (!fs::exists(forced_file)) {
    return;
  }
  const std::string forced = slurp(forced_file);
  const CargoEdit force_edit =
      edit_cargo_config(before, "config.toml", musl_settings(), true);
  CHECK(force_edit.text == forced);
  CHECK(force_edit.changed);
  CHECK(force_edit.warnings.empty());
  const CargoEdit force_again =
      edit_cargo_config(force_edit.text, "config.toml", musl_settings(), true);
  CHECK_FALSE(force_again.changed);
  CHECK(force_again.text == forced);
}

} // namespace

TEST_CASE("cargo config: a new file gets the target table and [env]",
          "[project]") {
  check_golden("new_file", 0);
}

TEST_CASE("cargo config: a file holding only a blank line", "[project]") {
  check_golden("empty_line", 0);
}

TEST_CASE("cargo config: unrelated tables and comments are kept", "[project]") {
  check_golden("unrelated_tables", 0);
}

TEST_CASE("cargo config: linker joins an existing [target.<triple>]",
          "[project]") {
  check_golden("target_table", 0);
}

TEST_CASE("cargo config: same linker and env leave the file alone",
          "[project]") {
  check_golden("linker_same", 0);
}

TEST_CASE("cargo config: a different linker is kept, --force replaces it",
          "[project]") {
  check_golden("linker_different", 1);
}

TEST_CASE("cargo config: dotted keys at the top level", "[project]") {
  check_golden("dotted_top_level", 0);
}

TEST_CASE("cargo config: dotted keys under [target]", "[project]") {
  check_golden("dotted_under_target", 0);
}

TEST_CASE("cargo config: the target as an inline table", "[project]") {
  check_golden("inline_table", 0);
}

TEST_CASE("cargo config: [env] as inline tables", "[project]") {
  check_golden("inline_env", 0);
}

TEST_CASE("cargo config: [env] plain and table forms", "[project]") {
  check_golden("env_forms", 1);
}

TEST_CASE("cargo config: CRLF files get CRLF lines", "[project]") {
  check_golden("crlf", 0);
}

TEST_CASE("cargo config: a missing final newline stays missing", "[project]") {
  check_golden("no_final_newline", 0);
}

TEST_CASE("cargo config: quoted table keys", "[project]") {
  check_golden("quoted_key", 0);
}

TEST_CASE("cargo config: only a sub-table of the target exists", "[project]") {
  check_golden("subtable_only", 0);
}

TEST_CASE("cargo config: the kept-linker warning names old and new",
          "[project]") {
  const std::string before =
      slurp(golden_dir("linker_different") / "before.toml");
  const CargoEdit edit = edit_cargo_config(before, "/p/.cargo/config.toml",
                                           musl_settings(), false);
  REQUIRE(edit.warnings.size() == 1);
  CHECK(
      edit.warnings[0] ==
      "cargo config '/p/.cargo/config.toml' already sets "
      "target.x86_64-unknown-linux-musl.linker = \"/opt/musl/bin/musl-gcc\"; "
      "keeping it (use --force to replace it with \"x86_64-linux-musl-gcc\")");
}

TEST_CASE("cargo config: a different env value is kept with a warning",
          "[project]") {
  const CargoTargetSettings settings{"", "", {{"CC_x", "new-cc"}}};
  const std::string before = "[env]\nCC_x = \"old-cc\"\n";
  const CargoEdit edit = edit_cargo_config(before, "c.toml", settings, false);
  CHECK_FALSE(edit.changed);
  CHECK(edit.text == before);
  REQUIRE(edit.warnings.size() == 1);
  CHECK(edit.warnings[0] ==
        "cargo config 'c.toml' already sets env.CC_x = \"old-cc\"; keeping it "
        "(use --force to replace it with \"new-cc\")");
  CHECK(edit_cargo_config(before, "c.toml", settings, true).text ==
        "[env]\nCC_x = \"new-cc\"\n");
}

TEST_CASE("cargo config: backslashes and quotes are escaped", "[project]") {
  const CargoTargetSettings settings{
      "x86_64-pc-windows-gnu",
      R"(C:\xtc\bin\x86_64-w64-mingw32-gcc.exe)",
      {{"CFLAGS_x86_64_pc_windows_gnu", R"(-DNAME="xtc")"}}};
  const CargoEdit edit = edit_cargo_config("", "c.toml", settings, false);
  CHECK(edit.text == "[target.x86_64-pc-windows-gnu]\n"
                     R"(linker = "C:\\xtc\\bin\\x86_64-w64-mingw32-gcc.exe")"
                     "\n"
                     "\n"
                     "[env]\n"
                     R"(CFLAGS_x86_64_pc_windows_gnu = "-DNAME=\"xtc\"")"
                     "\n");
  CHECK_FALSE(edit_cargo_config(edit.text, "c.toml", settings, false).changed);
}

TEST_CASE("cargo config: no linker asked, only [env] is written", "[project]") {
  const CargoTargetSettings settings{
      "x86_64-unknown-linux-musl", "", {{"CC_x", "cc"}}};
  const CargoEdit edit =
      edit_cargo_config("[build]\njobs = 1\n", "c.toml", settings, false);
  CHECK(edit.text == "[build]\njobs = 1\n\n[env]\nCC_x = \"cc\"\n");
}

TEST_CASE("cargo config: invalid TOML is reported with line and column",
          "[project]") {
  REQUIRE_THROWS_WITH(
      edit_cargo_config("[target.x]\nlinker = \n", "/p/.cargo/config.toml",
                        musl_settings(), false),
      "cannot parse cargo config '/p/.cargo/config.toml': 2:10: Error while "
      "parsing key-value pair: expected value, saw '\\n'");
  REQUIRE_THROWS_WITH(
      edit_cargo_config("a = 1\na = 2\n", "c.toml", musl_settings(), false),
      "cannot parse cargo config 'c.toml': 2:5: Error while parsing key-value "
      "pair: cannot redefine existing integer 'a'");
}

TEST_CASE("cargo config: a target that is not a table is refused",
          "[project]") {
  REQUIRE_THROWS_WITH(
      edit_cargo_config("target = 5\n", "c.toml", musl_settings(), false),
      "cannot set target.x86_64-unknown-linux-musl.linker in cargo config "
      "'c.toml': target is not a table");
}

TEST_CASE("cargo config path: config.toml by default", "[project]") {
  const ScopedTempDir dir;
  CHECK(cargo_config_path(dir.path()) == dir.path() / ".cargo" / "config.toml");
  dir.write(".cargo/config.toml", "");
  CHECK(cargo_config_path(dir.path()) == dir.path() / ".cargo" / "config.toml");
}

TEST_CASE("cargo config path: the legacy file when it exists", "[project]") {
  const ScopedTempDir dir;
  dir.write(".cargo/config", "");
  CHECK(cargo_config_path(dir.path()) == dir.path() / ".cargo" / "config");
  // With both, cargo reads the file without the extension.
  dir.write(".cargo/config.toml", "");
  CHECK(cargo_config_path(dir.path()) == dir.path() / ".cargo" / "config");
}

TEST_CASE("update cargo config: creates .cargo/config.toml once", "[project]") {
  const ScopedTempDir dir;
  const CargoEdit first =
      update_cargo_config(dir.path(), musl_settings(), false);
  CHECK(first.changed);
  const fs::path file = dir.path() / ".cargo" / "config.toml";
  CHECK(slurp(file) == slurp(golden_dir("new_file") / "after.toml"));

  const CargoEdit second =
      update_cargo_config(dir.path(), musl_settings(), false);
  CHECK_FALSE(second.changed);
  CHECK(slurp(file) == first.text);
  CHECK_FALSE(fs::exists(dir.path() / ".cargo" / "config"));
}

TEST_CASE("update cargo config: an existing empty file", "[project]") {
  const ScopedTempDir dir;
  const fs::path file = dir.write(".cargo/config.toml", "");
  update_cargo_config(dir.path(), musl_settings(), false);
  CHECK(slurp(file) == slurp(golden_dir("new_file") / "after.toml"));
}

TEST_CASE("update cargo config: edits the legacy file, creates no second one",
          "[project]") {
  const ScopedTempDir dir;
  const fs::path legacy = dir.write(".cargo/config", "[build]\njobs = 2\n");
  update_cargo_config(dir.path(), musl_settings(), false);
  CHECK(slurp(legacy).find("linker = \"x86_64-linux-musl-gcc\"") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(dir.path() / ".cargo" / "config.toml"));
}

TEST_CASE("update cargo config: a parse error leaves the file untouched",
          "[project]") {
  const ScopedTempDir dir;
  const std::string broken = "# mine\r\n[target.x\r\n";
  const fs::path file = dir.write(".cargo/config.toml", broken);
  REQUIRE_THROWS_AS(update_cargo_config(dir.path(), musl_settings(), true),
                    xtc::Error);
  CHECK(slurp(file) == broken);
  CHECK(std::distance(fs::directory_iterator(dir.path() / ".cargo"),
                      fs::directory_iterator()) == 1);
}

TEST_CASE("update cargo config: a linked config is edited where it lives",
          "[project]") {
  const ScopedTempDir dir;
  const fs::path shared =
      dir.write("dotfiles/cargo.toml", "[build]\njobs = 2\n");
  fs::create_directories(dir.path() / "p" / ".cargo");
  const fs::path link = dir.path() / "p" / ".cargo" / "config.toml";
  fs::create_symlink("../../dotfiles/cargo.toml", link);
  update_cargo_config(dir.path() / "p", musl_settings(), false);
  CHECK(fs::is_symlink(link));
  CHECK(slurp(shared).find("[target.x86_64-unknown-linux-musl]") !=
        std::string::npos);
}

TEST_CASE("update cargo config: the file keeps its permissions", "[project]") {
  const ScopedTempDir dir;
  const fs::path file = dir.write(".cargo/config.toml", "[build]\njobs = 2\n");
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write);
  update_cargo_config(dir.path(), musl_settings(), false);
  struct stat info {};
  REQUIRE(::stat(file.c_str(), &info) == 0);
  CHECK((info.st_mode & 07777) == 0600);
}

TEST_CASE("cargo config: the runner joins the linker; a user's own runner is "
          "kept unless forced",
          "[project]") {
  CargoTargetSettings settings{
      "aarch64-unknown-linux-gnu", "aarch64-linux-gnu-gcc", {}};
  settings.runner = "xtc run aarch64-linux-gnu";
  const CargoEdit fresh = edit_cargo_config("", "c.toml", settings, false);
  CHECK(fresh.text == "[target.aarch64-unknown-linux-gnu]\n"
                      "linker = \"aarch64-linux-gnu-gcc\"\n"
                      "runner = \"xtc run aarch64-linux-gnu\"\n");
  CHECK_FALSE(edit_cargo_config(fresh.text, "c.toml", settings, false).changed);

  const std::string own = "[target.aarch64-unknown-linux-gnu]\n"
                          "runner = \"qemu-aarch64 -L /my/root\"\n";
  const CargoEdit kept = edit_cargo_config(own, "c.toml", settings, false);
  REQUIRE(kept.warnings.size() == 1);
  CHECK(kept.warnings[0] ==
        "cargo config 'c.toml' already sets "
        "target.aarch64-unknown-linux-gnu.runner = \"qemu-aarch64 -L "
        "/my/root\"; keeping it (use --force to replace it with \"xtc run "
        "aarch64-linux-gnu\")");
  CHECK(kept.text.find("runner = \"qemu-aarch64 -L /my/root\"") !=
        std::string::npos);
  CHECK(edit_cargo_config(own, "c.toml", settings, true)
            .text.find("runner = \"xtc run aarch64-linux-gnu\"") !=
        std::string::npos);
}
