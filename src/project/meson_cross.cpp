#include "project/meson_cross.hpp"

#include <fmt/format.h>

#include <array>

namespace xtc::project {

namespace {

// A Meson string literal: single quotes, with backslash and quote escaped.
std::string meson_string(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\\' || c == '\'') {
      out += '\\';
    }
    out += c;
  }
  return out + "'";
}

// Meson's reference tables name CPU families differently from uname:
// https://mesonbuild.com/Reference-tables.html#cpu-families
std::string cpu_family(triple::Arch arch) {
  switch (arch) {
  case triple::Arch::x86_64:
    return "x86_64";
  case triple::Arch::aarch64:
    return "aarch64";
  case triple::Arch::armv7:
    return "arm";
  case triple::Arch::riscv64:
    return "riscv64";
  case triple::Arch::i686:
    return "x86";
  }
  return "unknown";
}

// Record tool name -> Meson [binaries] key, then k_named_binutils by their
// own names: Meson's find_program() looks a name up there first, so a
// meson.build that runs objdump or readelf gets the target's.
constexpr std::array<std::pair<std::string_view, std::string_view>, 5>
    k_binaries = {{
        {"cc", "c"},
        {"cxx", "cpp"},
        {"ar", "ar"},
        {"strip", "strip"},
        {"pkg-config", "pkg-config"},
    }};

} // namespace

std::string meson_cross_text(const CrossTarget& cross) {
  const std::string name = cross.target.gnu();
  std::string out = fmt::format(
      "# Meson cross file for {0}, written by `xtc config meson {0}`.\n"
      "#   meson setup --cross-file <this file> build\n"
      "# The tools are xtc's shims, named by absolute path so the build needs "
      "no PATH\n# change; run the command again after moving $XTC_HOME.\n\n"
      "[binaries]\n",
      name);
  const auto binary = [&](std::string_view tool, std::string_view key) {
    if (const auto it = cross.tools.find(std::string(tool));
        it != cross.tools.end()) {
      out += fmt::format("{} = {}\n", key, meson_string(it->second.string()));
    }
  };
  for (const auto& [tool, key] : k_binaries) {
    binary(tool, key);
  }
  for (const std::string_view tool : k_named_binutils) {
    binary(tool, tool);
  }
  // Meson before 1.3 looks dependencies up with "pkgconfig"; 1.3 reads
  // "pkg-config" and deprecates the other unless both are set.
  binary("pkg-config", "pkgconfig");
  if (!cross.emulator.empty()) {
    std::string list;
    for (const std::string& arg : cross.emulator) {
      list += (list.empty() ? "" : ", ") + meson_string(arg);
    }
    out += fmt::format("exe_wrapper = [{}]\n", list);
  }
  out += fmt::format("\n[host_machine]\n"
                     "system = 'linux'\n"
                     "cpu_family = {}\n"
                     "cpu = {}\n"
                     "endian = 'little'\n",
                     meson_string(cpu_family(cross.target.arch)),
                     meson_string(cross.target.arch_name()));
  if (cross.sysroot) {
    out += fmt::format("\n[properties]\nsys_root = {}\n",
                       meson_string(cross.sysroot->string()));
  }
  return out;
}

bool write_meson_cross(const std::filesystem::path& path,
                       const CrossTarget& cross) {
  return write_generated_file(path, meson_cross_text(cross),
                              "Meson cross file");
}

} // namespace xtc::project
