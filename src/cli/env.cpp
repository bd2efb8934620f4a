// `xtc env TRIPLE [--shell sh|fish|powershell]`: the variables cc-rs and
// cargo read for a target, pointing at xtc's shims, as commands for `eval`:
//   CC_<rust triple with '_'>, CXX_…, AR_…  (cc-rs)
//   CARGO_TARGET_<RUST TRIPLE UPPER, '_'>_LINKER  (cargo)
//   CARGO_TARGET_<…>_RUNNER  (cargo; for a target run under qemu-user)
// Values are quoted for the chosen shell, so any path survives.
#include "base/diagnostics.hpp"
#include "base/error.hpp"
#include "base/strings.hpp"
#include "cli/commands.hpp"
#include "project/cargo_config.hpp"
#include "shim/active.hpp"
#include "triple/triple.hpp"

#include <iostream>
#include <memory>

namespace xtc::cli {
namespace {

struct EnvOptions {
  std::string triple;
  std::string shell = "sh";
};

// PowerShell also ends a single-quoted string at the typographic single
// quotes U+2018..U+201B, and doubles each of them to escape it.
std::string powershell_quote(std::string_view text) {
  static const std::vector<std::string> quotes = {"'", "\u2018", "\u2019",
                                                  "\u201A", "\u201B"};
  std::string out = "'";
  for (std::size_t i = 0; i < text.size();) {
    bool quoted = false;
    for (const std::string& quote : quotes) {
      if (text.substr(i).starts_with(quote)) {
        out += quote + quote;
        i += quote.size();
        quoted = true;
        break;
      }
    }
    if (!quoted) {
      out += text[i++];
    }
  }
  return out + "'";
}

std::string assignment(std::string_view shell, const std::string& name,
                       std::string_view value) {
  if (shell == "fish") {
    // fish: inside '…' only \\ and \' are escapes.
    std::string quoted =
        replace_all(replace_all(std::string(value), "\\", "\\\\"), "'", "\\'");
    return fmt::format("set -gx {} '{}'", name, quoted);
  }
  if (shell == "powershell") {
    return fmt::format("$env:{} = {}", name, powershell_quote(value));
  }
  return fmt::format("export {}='{}'", name,
                     replace_all(std::string(value), "'", "'\\''"));
}

void execute(const EnvOptions& options, const Context& context) {
  const triple::Triple target = triple::parse(options.triple);
  const store::Layout layout = context.layout();
  const std::string gnu = target.gnu();
  // The same names target add writes into .cargo/config.toml, as absolute
  // paths: the shell that evals this may not have the shims on PATH.
  const project::CargoTargetSettings settings =
      context.cargo_settings(target, true);
  std::vector<std::pair<std::string, std::string>> variables(
      settings.env.begin(), settings.env.end());
  const std::string cargo_target =
      "CARGO_TARGET_" + to_upper(replace_all(settings.rust_triple, "-", "_"));
  variables.emplace_back(cargo_target + "_LINKER", settings.linker);
  if (!settings.runner.empty()) {
    variables.emplace_back(cargo_target + "_RUNNER", settings.runner);
  }
  for (const auto& [name, value] : variables) {
    std::cout << assignment(options.shell, name, value) << '\n';
  }

  const shim::Active active = shim::find_active(
      layout, gnu,
      [&](const std::string& name) { return context.env.get(name); },
      context.env.cwd());
  if (!active.resolution) {
    const Error error = shim::not_installed(active, "");
    diag::warning(error.message());
    diag::hint(error.hint());
  }
}

} // namespace

void add_env(CLI::App& parent, Context& context) {
  auto options = std::make_shared<EnvOptions>();
  CLI::App* cmd = parent.add_subcommand(
      "env", "Print CC_/CXX_/AR_/PKG_CONFIG_ and cargo's linker variables "
             "for a target\n\n"
             "Example:\n  eval \"$(xtc env aarch64-linux-musl)\"\n"
             "  xtc env aarch64-linux-musl --shell fish | source\n");
  cmd->add_option("triple", options->triple, "A target in any spelling")
      ->required();
  cmd->add_option("--shell", options->shell,
                  "Syntax of the output: sh (default), fish or powershell")
      ->check(CLI::IsMember({"sh", "fish", "powershell"}));
  cmd->callback([options, &context] { execute(*options, context); });
}

} // namespace xtc::cli
