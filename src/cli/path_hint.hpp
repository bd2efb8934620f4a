// The PATH hint: the cargo config names the shims without a directory, so
// they must be on PATH. When $XTC_HOME/bin is not, commands that rely on it
// say so once, with the exact line for the user's shell (from $SHELL).
#pragma once

#include "base/env.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace xtc::cli {

// True when `dir` is one of the entries of `path_var` (a PATH value);
// entries are compared after normalising "." and trailing slashes.
bool on_path(const std::filesystem::path& dir, const std::string& path_var);

// The advice for a shell named by `shell` ($SHELL, e.g. "/usr/bin/fish"):
// where to put the line and the line itself, e.g.
// "add this line to ~/.bashrc: export PATH=\"/h/.xtc/bin:$PATH\"".
std::string path_advice(const std::filesystem::path& bin,
                        const std::optional<std::string>& shell);

// Prints the hint (xtc: hint: …) when `bin` is not on env's PATH; nothing
// otherwise, or under --quiet.
void hint_path(const std::filesystem::path& bin, const Env& env);

} // namespace xtc::cli
