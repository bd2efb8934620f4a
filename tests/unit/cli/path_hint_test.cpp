#include "cli/path_hint.hpp"
#include "support/catch.hpp"

using xtc::cli::on_path;
using xtc::cli::path_advice;

TEST_CASE("path hint: the shim directory is found on PATH", "[cli]") {
  CHECK(on_path("/h/.xtc/bin", "/usr/bin:/h/.xtc/bin:/bin"));
  CHECK(on_path("/h/.xtc/bin", "/h/.xtc/bin/"));
  CHECK(on_path("/h/.xtc/bin", "/h/./.xtc/bin"));
  CHECK_FALSE(on_path("/h/.xtc/bin", "/usr/bin:/h/.xtc:/h/.xtc/bin2"));
  CHECK_FALSE(on_path("/h/.xtc/bin", ""));
}

TEST_CASE("path hint: the exact line for the user's shell", "[cli]") {
  CHECK(path_advice("/h/.xtc/bin", "/bin/bash") ==
        "add this line to ~/.bashrc: export PATH=\"/h/.xtc/bin:$PATH\"");
  CHECK(path_advice("/h/.xtc/bin", "/usr/bin/zsh") ==
        "add this line to ~/.zshrc: export PATH=\"/h/.xtc/bin:$PATH\"");
  CHECK(path_advice("/h/.xtc/bin", "/usr/bin/fish") ==
        "run once: fish_add_path /h/.xtc/bin");
  CHECK(path_advice("/h/.xtc/bin", "/bin/tcsh") ==
        "add this line to ~/.tcshrc: set path = (/h/.xtc/bin $path)");
  CHECK(path_advice("/h/.xtc/bin", "/bin/dash") ==
        "add this line to ~/.profile: export PATH=\"/h/.xtc/bin:$PATH\"");
  CHECK(path_advice("/h/.xtc/bin", std::nullopt) ==
        "add this line to ~/.profile: export PATH=\"/h/.xtc/bin:$PATH\"");
}
