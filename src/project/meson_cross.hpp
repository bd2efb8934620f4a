// Meson cross files (meson setup --cross-file …) for installed targets:
// [binaries] with the compiler and binutils shims by absolute path and the
// emulator as exe_wrapper when there is one, [host_machine] in Meson's
// names for system, CPU family, CPU and endianness, and [properties]
// sys_root. The text depends only on its input.
#pragma once

#include "project/cross_target.hpp"

#include <filesystem>
#include <string>

namespace xtc::project {

// The cross file's content for `cross`.
std::string meson_cross_text(const CrossTarget& cross);

// Writes meson_cross_text(cross) to `path` atomically, creating its
// directory. Returns false when the file already had that content (and
// leaves it untouched). Throws xtc::Error when it cannot be written.
bool write_meson_cross(const std::filesystem::path& path,
                       const CrossTarget& cross);

} // namespace xtc::project
