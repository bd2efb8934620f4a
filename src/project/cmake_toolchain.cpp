#include "project/cmake_toolchain.hpp"

#include <fmt/format.h>

#include <array>

namespace xtc::project {

namespace {

// Text for inside a CMake quoted argument: backslash, quote and `$`
// (variable references) are escaped; `;` too, so a path stays one list
// element.
std::string escaped(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '\\' || c == '"' || c == '$' || c == ';') {
      out += '\\';
    }
    out += c;
  }
  return out;
}

std::string cmake_string(std::string_view text) {
  return fmt::format("\"{}\"", escaped(text));
}

// A CMake list ("a;b;c") as one quoted argument.
std::string quoted_list(const std::vector<std::string>& items) {
  std::string out = "\"";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i != 0) {
      out += ';';
    }
    out += escaped(items[i]);
  }
  out += '"';
  return out;
}

// The tools CMake reads from the cache (CMakeFindBinUtils looks them up
// with find_program, which keeps a cached value, and would otherwise find
// the host's). gcc-ar and gcc-ranlib archive LTO objects
// (INTERPROCEDURAL_OPTIMIZATION); FindPkgConfig's pkg_check_modules runs
// PKG_CONFIG_EXECUTABLE, the target pkg-config, which searches only the
// target's .pc files.
constexpr std::array<std::pair<const char*, const char*>, 13> k_binutils = {{
    {"ar", "CMAKE_AR"},
    {"ranlib", "CMAKE_RANLIB"},
    {"strip", "CMAKE_STRIP"},
    {"nm", "CMAKE_NM"},
    {"objcopy", "CMAKE_OBJCOPY"},
    {"objdump", "CMAKE_OBJDUMP"},
    {"readelf", "CMAKE_READELF"},
    {"addr2line", "CMAKE_ADDR2LINE"},
    {"gcc-ar", "CMAKE_C_COMPILER_AR"},
    {"gcc-ar", "CMAKE_CXX_COMPILER_AR"},
    {"gcc-ranlib", "CMAKE_C_COMPILER_RANLIB"},
    {"gcc-ranlib", "CMAKE_CXX_COMPILER_RANLIB"},
    {"pkg-config", "PKG_CONFIG_EXECUTABLE"},
}};

} // namespace

std::string cmake_toolchain_text(const CrossTarget& cross) {
  const std::string name = cross.target.gnu();
  std::string out = fmt::format(
      "# CMake toolchain file for {0}, written by `xtc config cmake {0}`.\n"
      "#   cmake -DCMAKE_TOOLCHAIN_FILE=<this file> -S . -B build\n"
      "# The tools are xtc's shims, named by absolute path so the build needs "
      "no PATH\n# change; run the command again after moving $XTC_HOME.\n",
      name);
  if (cross.native) {
    // Naming a system would make CMake cross-compile, and its try_run()
    // would then need an emulator for programs this host runs itself.
    out += "# This host runs the target's programs itself: CMake builds for "
           "it as for\n# the host, try_run() and tests run them directly.\n\n";
  } else {
    out += fmt::format("set(CMAKE_SYSTEM_NAME Linux)\n"
                       "set(CMAKE_SYSTEM_PROCESSOR {})\n\n",
                       cross.target.arch_name());
  }
  if (const auto cc = cross.tools.find("cc"); cc != cross.tools.end()) {
    out += fmt::format("set(CMAKE_C_COMPILER {})\n",
                       cmake_string(cc->second.string()));
  }
  if (const auto cxx = cross.tools.find("cxx"); cxx != cross.tools.end()) {
    out += fmt::format("set(CMAKE_CXX_COMPILER {})\n",
                       cmake_string(cxx->second.string()));
  }
  for (const auto& [tool, variable] : k_binutils) {
    if (const auto it = cross.tools.find(tool); it != cross.tools.end()) {
      out += fmt::format("set({} {} CACHE FILEPATH \"xtc {}\")\n", variable,
                         cmake_string(it->second.string()), tool);
    }
  }
  if (cross.sysroot) {
    out += fmt::format("\nset(CMAKE_SYSROOT {})\n",
                       cmake_string(cross.sysroot->string()));
    if (cross.target_root && *cross.target_root != *cross.sysroot) {
      // A Debian-style toolchain keeps the target's libraries under
      // usr/<multiarch>: find_library and find_path search there too.
      out += fmt::format("list(APPEND CMAKE_FIND_ROOT_PATH {})\n",
                         cmake_string(cross.target_root->string()));
    }
  } else if (cross.find_root) {
    out += fmt::format(
        "\n# The compiler brings the target's C library itself: libraries "
        "and headers\n# are looked for under its directory, never in this "
        "host's /usr.\nlist(APPEND CMAKE_FIND_ROOT_PATH {})\n",
        cmake_string(cross.find_root->string()));
  }
  out += "\n# Programs run on this host; libraries, headers and packages come "
         "from the target.\n"
         "set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)\n"
         "set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)\n"
         "set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)\n"
         "set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)\n";
  if (!cross.emulator.empty()) {
    out += fmt::format("\n# try_run() and add_test() run target programs "
                       "through qemu-user.\n"
                       "set(CMAKE_CROSSCOMPILING_EMULATOR {})\n",
                       quoted_list(cross.emulator));
  }
  return out;
}

bool write_cmake_toolchain(const std::filesystem::path& path,
                           const CrossTarget& cross) {
  return write_generated_file(path, cmake_toolchain_text(cross),
                              "CMake toolchain file");
}

} // namespace xtc::project
