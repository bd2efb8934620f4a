// What a CMake toolchain file or a Meson cross file says about an installed
// target: the shims by absolute path (so a build works without xtc on PATH),
// the sysroot the compiler uses, and how to run a target program on this
// host. Computed from the target's record; reading it touches nothing.
#pragma once

#include "base/env.hpp"
#include "store/layout.hpp"
#include "store/target_record.hpp"
#include "triple/triple.hpp"

#include <array>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xtc::project {

// The binutils that build files name by their own names: a shim suffix,
// a Meson [binaries] key, a record tool.
inline constexpr std::array<std::string_view, 7> k_named_binutils = {
    "nm", "objcopy", "objdump", "readelf", "addr2line", "size", "strings"};

struct CrossTarget {
  triple::Triple target;
  // Record tool name ("cc", "cxx", "ar", "ranlib", "strip", "objdump", …)
  // -> shim path in $XTC_HOME/bin; only the tools the installed toolchain
  // has.
  std::map<std::string, std::filesystem::path> tools;
  // The --sysroot the compiler shim passes; nullopt when it passes none.
  std::optional<std::filesystem::path> sysroot;
  // The directory holding the target's lib/ (and its dynamic loader): the
  // sysroot, or <sysroot>/usr/<multiarch> in a Debian-style cross toolchain.
  std::optional<std::filesystem::path> target_root;
  // argv prefix that runs a target program here (qemu-user with the
  // sysroot's dynamic loader); empty when programs run natively or no
  // emulator is installed.
  std::vector<std::string> emulator;
  // Where a build looks for the target's libraries and headers when the
  // compiler has no sysroot because it brings the C library itself (zig):
  // the compiler's own directory, which holds none of this host's.
  std::optional<std::filesystem::path> find_root = {};
  // Whether this host runs the target's programs itself (runs_natively).
  bool native = false;
};

// Describes the installed `target` from its record. Throws xtc::Error
// "target '<t>' is not installed" (hint: the `xtc target add` command) when
// there is no record, and when the record has no C compiler.
CrossTarget describe_cross_target(const triple::Triple& target,
                                  const store::Layout& layout, const Env& env);

// The same from a record already read; `emulator` is taken as given.
CrossTarget cross_target_from_record(const triple::Triple& target,
                                     const store::TargetRecord& record,
                                     const store::Layout& layout,
                                     std::vector<std::string> emulator);

// The target_root for a sysroot (see CrossTarget): probes the file system.
std::filesystem::path target_root_of(const triple::Triple& target,
                                     const std::filesystem::path& sysroot);

// Whether this host's kernel runs the target's programs: a Linux host of
// the same architecture. (Its glibc programs find the host's loader; Rust's
// musl programs are static. A dynamic musl C program still needs the
// target's loader, which find_emulator's qemu supplies.)
bool same_machine(const triple::Triple& target,
                  const std::string& host_platform);

// Whether the host runs the target's programs without an emulator: the same
// machine and a glibc target (the host's loader serves it).
bool runs_natively(const triple::Triple& target,
                   const std::string& host_platform);

// The qemu-user command for target programs: empty when the host runs them
// natively (same architecture, glibc target on a Linux host) or neither
// qemu-<arch>-static nor qemu-<arch> is on env's PATH. With a target_root,
// qemu gets it as -L, the prefix for the dynamic loader and libraries.
std::vector<std::string>
find_emulator(const triple::Triple& target,
              const std::optional<std::filesystem::path>& target_root,
              const std::string& host_platform, const Env& env);

// Writes a generated file (`role` names it in errors) atomically, creating
// its directory. Returns false, touching nothing, when it already holds
// `text`. Throws xtc::Error when it cannot be written.
bool write_generated_file(const std::filesystem::path& path,
                          std::string_view text, std::string_view role);

// Where the files go when the user names none: <dir>/cmake/xtc-<gnu>.cmake
// (beside a project's other CMake modules) and <dir>/xtc-<gnu>.ini.
std::filesystem::path
default_cmake_toolchain_path(const std::filesystem::path& dir,
                             const triple::Triple& target);
std::filesystem::path default_meson_cross_path(const std::filesystem::path& dir,
                                               const triple::Triple& target);

} // namespace xtc::project
