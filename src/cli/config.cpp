// `xtc config cargo|cmake|meson TRIPLE`: writes the build system's file for
// an installed target on demand. `cargo` is the same edit `target add`
// makes; `cmake` and `meson` write a toolchain or cross file naming the
// shims by absolute path. Nothing is written unless the target is installed.
#include "base/diagnostics.hpp"
#include "base/error.hpp"
#include "cli/commands.hpp"
#include "cli/path_hint.hpp"
#include "project/cargo_config.hpp"
#include "project/cmake_toolchain.hpp"
#include "project/meson_cross.hpp"
#include "store/target_record.hpp"

#include <iostream>
#include <memory>

namespace xtc::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* k_project_help =
    "Project directory (default: the current one)";

struct ConfigOptions {
  std::string triple;
  std::string project;
  std::string output;
  bool force = false;
  bool absolute = false;
};

fs::path from_cwd(const Context& context, const std::string& path) {
  return (context.env.cwd() / path).lexically_normal();
}

// The target, parsed and installed: nothing is written for one that is not.
triple::Triple installed_target(const ConfigOptions& options,
                                const Context& context) {
  const triple::Triple target = triple::parse(options.triple);
  if (!store::read_target_record(context.layout(), target.gnu())) {
    throw Error(fmt::format("target '{}' is not installed", target.display()),
                fmt::format("run 'xtc target add {}' first", target.display()));
  }
  return target;
}

void report(const fs::path& path, bool changed, std::string_view role) {
  diag::info(changed
                 ? fmt::format("wrote {} '{}'", role, path.string())
                 : fmt::format("{} '{}' is up to date", role, path.string()));
  std::cout << path.string() << '\n';
}

void write_cargo(const ConfigOptions& options, const Context& context) {
  const triple::Triple target = installed_target(options, context);
  fs::path path;
  if (!options.output.empty()) {
    path = from_cwd(context, options.output);
  } else {
    const std::optional<fs::path> project =
        options.project.empty()
            ? project::find_cargo_project(context.env.cwd())
            : std::optional(from_cwd(context, options.project));
    if (!project) {
      throw Error(fmt::format("no Cargo.toml in '{}' or any directory above",
                              context.env.cwd().string()),
                  "run this inside a Cargo project, or pass --project DIR or "
                  "--output FILE");
    }
    path = project::cargo_config_path(*project);
  }
  const store::Layout layout = context.layout();
  const project::CargoEdit edit = project::update_cargo_config_file(
      path, context.cargo_settings(target, options.absolute), options.force);
  for (const std::string& warning : edit.warnings) {
    diag::warning(warning);
  }
  report(path, edit.changed, "cargo config");
  if (!options.absolute) {
    hint_path(layout.bin(), context.env);
  }
}

// cmake and meson differ only in the default file name and the writer.
template <typename DefaultPath, typename Writer>
void write_cross_file(const ConfigOptions& options, const Context& context,
                      std::string_view role, DefaultPath default_path,
                      Writer writer) {
  const triple::Triple target = installed_target(options, context);
  const project::CrossTarget cross =
      project::describe_cross_target(target, context.layout(), context.env);
  const fs::path project = options.project.empty()
                               ? context.env.cwd()
                               : from_cwd(context, options.project);
  const fs::path path = options.output.empty()
                            ? default_path(project, target)
                            : from_cwd(context, options.output);
  report(path, writer(path, cross), role);
}

CLI::App* add_kind(CLI::App& config, const char* name, const char* summary,
                   const char* project_help,
                   const std::shared_ptr<ConfigOptions>& options) {
  CLI::App* cmd = config.add_subcommand(name, summary);
  cmd->add_option("triple", options->triple,
                  "An installed target in any spelling")
      ->required();
  cmd->add_option("--project", options->project, project_help);
  cmd->add_option("--output", options->output,
                  "File to write instead of the default");
  return cmd;
}

} // namespace

void add_config(CLI::App& parent, Context& context) {
  CLI::App* config = parent.add_subcommand(
      "config",
      "Write a build system's file for an installed target\n\nExamples:\n"
      "  xtc config cargo aarch64-linux-gnu    .cargo/config.toml\n"
      "  xtc config cmake aarch64-linux-gnu    "
      "cmake/xtc-aarch64-linux-gnu.cmake\n"
      "  xtc config meson aarch64-linux-gnu    xtc-aarch64-linux-gnu.ini\n");
  config->require_subcommand(1);

  auto cargo = std::make_shared<ConfigOptions>();
  CLI::App* cargo_cmd = add_kind(
      *config, "cargo",
      "Write the linker and CC/CXX/AR variables into the Cargo config "
      "(default: .cargo/config.toml of the Cargo project, as cargo finds it)",
      "Cargo project directory (default: the nearest Cargo.toml upward, or "
      "its workspace root)",
      cargo);
  cargo_cmd->add_flag("--force", cargo->force,
                      "Replace a different linker in the config");
  cargo_cmd->add_flag("--absolute", cargo->absolute,
                      "Write absolute shim paths into the config");
  cargo_cmd->callback([cargo, &context] { write_cargo(*cargo, context); });

  auto cmake = std::make_shared<ConfigOptions>();
  add_kind(*config, "cmake",
           "Write a CMake toolchain file (default: "
           "cmake/xtc-<triple>.cmake in the project)",
           k_project_help, cmake)
      ->callback([cmake, &context] {
        write_cross_file(*cmake, context, "CMake toolchain file",
                         project::default_cmake_toolchain_path,
                         project::write_cmake_toolchain);
      });

  auto meson = std::make_shared<ConfigOptions>();
  add_kind(*config, "meson",
           "Write a Meson cross file (default: xtc-<triple>.ini in the "
           "project)",
           k_project_help, meson)
      ->callback([meson, &context] {
        write_cross_file(*meson, context, "Meson cross file",
                         project::default_meson_cross_path,
                         project::write_meson_cross);
      });
}

} // namespace xtc::cli
