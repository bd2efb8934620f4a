// The shim runtime: what runs when a build calls aarch64-linux-musl-gcc.
// Hot path: basename of argv[0] -> triple and tool -> pick the active
// toolchain (XTC_TOOLCHAIN_<TRIPLE>, else xtc.toml upward from the working
// directory, else the default install; see shim/active.hpp) -> read its
// resolution file -> build argv -> execv. No manifest, no TOML, no network, no
// child process left behind: the tool replaces the shim, so its exit status and
// signals are the caller's directly. It must never load libcurl, libarchive,
// OpenSSL or toml++.
//
// Environment: XTC_HOME (else the directory above the shim's bin/);
// XTC_SHIM_TRACE=<file> appends one line per call (what ran); the
// variables in leaked_variables() are removed because they make a cross
// compiler use the host's headers or libraries; XTC_SHIM_DEPTH guards
// against a shim that resolves to itself.
#pragma once

#include <array>
#include <span>
#include <string_view>

namespace xtc::shim {

// Variables a shim removes before exec: GCC and clang read them as extra
// search paths, so a host value (this machine sets LIBRARY_PATH for CUDA)
// would link host libraries into a cross build.
// BR_COMPILER_PARANOID_UNSAFE_PATH turns the unsafe-path warnings of
// Buildroot's toolchain wrapper (Bootlin's gcc) into errors: a distro rustc
// under /usr links with -L /usr/lib/rustlib/<target>/lib.
inline constexpr std::array<std::string_view, 8> k_leaked_variables = {
    "LIBRARY_PATH",      "CPATH",
    "C_INCLUDE_PATH",    "CPLUS_INCLUDE_PATH",
    "OBJC_INCLUDE_PATH", "COMPILER_PATH",
    "GCC_EXEC_PREFIX",   "BR_COMPILER_PARANOID_UNSAFE_PATH",
};
inline std::span<const std::string_view> leaked_variables() {
  return k_leaked_variables;
}

// How many shims may call one another (XTC_SHIM_DEPTH): deep enough for a
// wrapper of a wrapper, far below a fork bomb.
inline constexpr int k_max_shim_depth = 8;

// Runs the shim for argv; returns only by throwing xtc::Error (not
// installed, recursion, exec failure).
[[noreturn]] void run(int argc, char** argv);

} // namespace xtc::shim
