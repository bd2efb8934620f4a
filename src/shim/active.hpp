// Which installed toolchain of a target is active here, and why. The first
// of these that speaks for the target wins:
//   1. XTC_TOOLCHAIN_<TRIPLE>: a variant name ("llvm", "gcc-2.31");
//   2. the nearest xtc.toml upward from the working directory that has an
//      entry for the target ({ flavor, libc_version });
//   3. the default install, targets/<triple>.shim (the variant the last
//      `xtc target add` chose).
// Each installed variant has its own targets/<triple>@<variant>.shim. The
// shim and the CLI (`xtc show`, `xtc which`, `xtc env`) both decide here, so
// they cannot disagree. Cost: one getenv, one stat() per directory level,
// and reading at most one pin file and a few resolution files.
#pragma once

#include "base/error.hpp"
#include "shim/pin_file.hpp"
#include "shim/resolution.hpp"
#include "store/layout.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xtc::shim {

enum class Source { environment, pin_file, default_install };

// "environment", "pin file", "default".
std::string_view source_name(Source source);

struct Active {
  std::string target; // GNU name
  Source source = Source::default_install;
  // The variable's name (environment) or the pin file's path (pin file).
  std::string origin;
  // What the source asked for, for messages: "XTC_TOOLCHAIN_X=llvm",
  // "{ flavor = \"llvm\" }"; empty for the default install.
  std::string request;
  // Resolution files that would satisfy the request, in preference order;
  // the variant is nullopt for the default install's file.
  struct Candidate {
    std::filesystem::path file;
    std::optional<Variant> variant;
  };
  std::vector<Candidate> candidates;
  // The first candidate that is installed, and what it says; nullopt when
  // none is.
  std::optional<Candidate> chosen;
  std::optional<Resolution> resolution;
  // The command that installs what was asked for.
  std::string fix;
};

// Returns an environment variable's value, nullopt when unset or empty.
using Lookup = std::function<std::optional<std::string>(const std::string&)>;

// Decides the active toolchain of `target` for working directory `cwd`.
// Throws xtc::Error when the variable holds no variant name, or the pin file
// cannot be read or names an invalid entry; a toolchain that is simply not
// installed is reported by an empty `resolution`.
Active find_active(const store::Layout& layout, std::string_view target,
                   const Lookup& lookup, const std::filesystem::path& cwd);

// The error for an Active without a resolution: which target, what chose
// it, and the command that installs it. `called_as` names the shim, if any.
Error not_installed(const Active& active, std::string_view called_as);

} // namespace xtc::shim
