#include "cli/path_hint.hpp"

#include "base/diagnostics.hpp"
#include "base/strings.hpp"

#include <fmt/format.h>

namespace xtc::cli {

namespace fs = std::filesystem;

namespace {

// "/h/.xtc/bin/" and "/h/./.xtc/bin" name the same directory as
// "/h/.xtc/bin"; symlinks are left alone (the shell does not resolve them
// either when it searches PATH).
std::string normal_form(const fs::path& dir) {
  std::string text = dir.lexically_normal().string();
  while (text.size() > 1 && text.ends_with('/')) {
    text.pop_back();
  }
  return text;
}

} // namespace

bool on_path(const fs::path& dir, const std::string& path_var) {
  const std::string wanted = normal_form(dir);
  for (const std::string& entry : split(path_var, ':')) {
    if (!entry.empty() && normal_form(entry) == wanted) {
      return true;
    }
  }
  return false;
}

std::string path_advice(const fs::path& bin,
                        const std::optional<std::string>& shell) {
  const std::string name =
      shell ? fs::path(*shell).filename().string() : std::string();
  if (name == "fish") {
    // fish_add_path stores the directory in a universal variable, so one
    // run is enough and nothing goes into a startup file.
    return fmt::format("run once: fish_add_path {}", bin.string());
  }
  if (name == "csh" || name == "tcsh") {
    return fmt::format("add this line to ~/.{}rc: set path = ({} $path)", name,
                       bin.string());
  }
  const std::string file = name == "bash"  ? "~/.bashrc"
                           : name == "zsh" ? "~/.zshrc"
                                           : "~/.profile";
  return fmt::format("add this line to {}: export PATH=\"{}:$PATH\"", file,
                     bin.string());
}

void hint_path(const fs::path& bin, const Env& env) {
  // Advice, not an error: --quiet silences it like any status line.
  if (diag::verbosity() == diag::Verbosity::quiet ||
      on_path(bin, env.get("PATH").value_or(""))) {
    return;
  }
  diag::hint(fmt::format("xtc's shims in '{}' are not on PATH; {}",
                         bin.string(), path_advice(bin, env.get("SHELL"))));
}

} // namespace xtc::cli
