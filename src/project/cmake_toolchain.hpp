// CMake toolchain files (cmake -DCMAKE_TOOLCHAIN_FILE=…) for installed
// targets: system name and processor, the compiler and binutils shims by
// absolute path, the sysroot, find-root-path modes that look for libraries,
// headers and packages only in the sysroot and for programs only on the
// host, and the emulator for try_run and add_test when there is one. The
// text depends only on its input, so a second run writes the same bytes.
#pragma once

#include "project/cross_target.hpp"

#include <filesystem>
#include <string>

namespace xtc::project {

// The toolchain file's content for `cross`.
std::string cmake_toolchain_text(const CrossTarget& cross);

// Writes cmake_toolchain_text(cross) to `path` atomically, creating its
// directory. Returns false when the file already had that content (and
// leaves it untouched). Throws xtc::Error when it cannot be written.
bool write_cmake_toolchain(const std::filesystem::path& path,
                           const CrossTarget& cross);

} // namespace xtc::project
