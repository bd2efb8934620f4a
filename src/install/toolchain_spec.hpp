// Turns what was selected and installed for a triple into the exact command
// line of each tool: the flavor's rules live here and nowhere else.
//   gcc:  <root>/<tools.cc> --sysroot=<root>/<sysroot> <cflags>
//   llvm: clang --target=<llvm triple> --sysroot=<sysroot root> -fuse-ld=lld
//         <sysroot cflags>; binutils are the llvm-* tools beside clang
//   zig:  zig cc -target <zig triple>; zig c++, zig ar, zig ranlib, …
//   every flavor: pkg-config, the host's, with the target's search path
// "{root}" in a manifest's cflags is replaced by the artifact's install root.
#pragma once

#include "base/env.hpp"
#include "manifest/manifest.hpp"
#include "store/layout.hpp"
#include "store/target_record.hpp"
#include "triple/triple.hpp"

#include <filesystem>
#include <optional>

namespace xtc::install {

// Returns the target record for `target` (flavor, artifacts, tool argv).
// Throws xtc::Error when the llvm flavor is chosen and clang is missing.
store::TargetRecord describe_target(const triple::Triple& target,
                                    const manifest::Selection& selection,
                                    const store::Layout& layout,
                                    const Env& env);

// Adds the target pkg-config to a record: the host's pkg-config (looked up
// on PATH when called) with the .pc directories, sysroot and system
// directories of the target's sysroot, or of no sysroot at all (nullopt:
// the compiler brings the C library itself, as zig does), never the host's.
void set_pkg_config(const triple::Triple& target,
                    const std::optional<std::filesystem::path>& sysroot,
                    store::TargetRecord& record);

// Finds the host's clang and its llvm-* tools for the llvm flavor;
// throws xtc::Error with an install hint when clang is missing.
std::map<std::string, std::string> find_llvm_tools(const Env& env);

} // namespace xtc::install
