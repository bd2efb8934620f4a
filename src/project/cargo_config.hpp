// Edits a project's Cargo configuration (.cargo/config.toml) so cargo links
// a target with xtc's toolchain, keeping every byte the user wrote: comments,
// blank lines, key order, quoting, CRLF line endings, a missing final newline.
// The edit is computed on text first and only written (atomically) when it
// parses and differs; a file that cannot be parsed is never touched.
#pragma once

#include "base/env.hpp"
#include "store/layout.hpp"
#include "triple/triple.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xtc::project {

struct CargoTargetSettings {
  std::string rust_triple; // "x86_64-unknown-linux-musl"
  std::string linker;      // "x86_64-linux-musl-gcc"
  // [env] entries, e.g. CC_x86_64_unknown_linux_musl = "x86_64-linux-musl-gcc"
  std::map<std::string, std::string> env;
  // How cargo runs the target's programs (`cargo run`, `cargo test`):
  // "xtc run aarch64-linux-gnu"; empty when the host runs them itself.
  std::string runner = {};
};

struct CargoEdit {
  std::string text;                  // the new file content
  bool changed = false;              // false: text equals the input
  std::vector<std::string> warnings; // e.g. a different linker kept
};

// Computes the edited text. `file_name` is used in messages only. An
// existing linker different from settings.linker is kept with a warning
// unless force is set. Throws xtc::Error "cannot parse cargo config
// '<file>': <line>:<col>: <reason>" when the input is not valid TOML, and
// "cannot set <key> in cargo config …" when `target`, `env` or a table on
// the way to the key is some other kind of value.
CargoEdit edit_cargo_config(std::string_view original,
                            std::string_view file_name,
                            const CargoTargetSettings& settings, bool force);

// The project directory for `start`: the nearest directory upward holding a
// Cargo.toml, lifted to its workspace root as cargo finds it (the first
// [workspace] further up that does not exclude it, or package.workspace).
// nullopt when there is no Cargo.toml.
std::optional<std::filesystem::path>
find_cargo_project(const std::filesystem::path& start);

// The config file cargo reads in project_dir: the legacy .cargo/config when
// it exists (cargo prefers it even next to config.toml), else
// .cargo/config.toml.
std::filesystem::path
cargo_config_path(const std::filesystem::path& project_dir);

// What xtc writes for `target`: the linker, cc-rs's CC_/CXX_/AR_<triple> and
// pkg-config-rs's PKG_CONFIG_<triple> and PKG_CONFIG_ALLOW_CROSS_<triple>
// variables, naming the shims (portable: found on PATH) or, with
// `absolute`, their paths in layout.bin().
CargoTargetSettings cargo_target_settings(const triple::Triple& target,
                                          const store::Layout& layout,
                                          bool absolute);

// The runner for `target` (see CargoTargetSettings): "<xtc> run <triple>"
// when the host does not run the target's programs itself and qemu-user for
// its architecture is on env's PATH; empty otherwise. `xtc` is how the
// command names xtc (cargo splits the runner at whitespace).
std::string cargo_runner(const triple::Triple& target,
                         const std::string& host_platform, const Env& env,
                         const std::string& xtc);

// Reads, edits and atomically writes the project's cargo config; creates
// .cargo/ when needed. Returns the edit (warnings for the caller to print).
CargoEdit update_cargo_config(const std::filesystem::path& project_dir,
                              const CargoTargetSettings& settings, bool force);

// The same for one config file named directly (e.g. ~/.cargo/config.toml);
// creates its directory when needed. Throws xtc::Error when the file cannot
// be parsed or written, leaving it untouched.
CargoEdit update_cargo_config_file(const std::filesystem::path& path,
                                   const CargoTargetSettings& settings,
                                   bool force);

} // namespace xtc::project
