// targets/<triple>.toml: what an installed triple uses — flavor, the
// artifacts it was built from and the exact command line of each tool. xtc
// reads it for listings, `which`, removal and garbage collection; the shim
// reads the precomputed targets/<triple>.shim instead (see shim/resolution).
#pragma once

#include "store/layout.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace xtc::store {

struct TargetRecord {
  std::string triple; // display spelling, "aarch64-linux-gnu" or "….2.17"
  std::string gnu;    // file name stem and shim prefix
  std::string rust;   // Rust target name
  std::string flavor; // gcc | llvm | zig
  std::vector<std::string> artifacts; // installed ids it depends on
  // tool name ("cc", "cxx", "ar", …) -> argv: program then fixed flags
  std::map<std::string, std::vector<std::string>> tools;
  // Which installed variant of the triple: the flavor, plus "-<glibc
  // version>" when one was asked for ("llvm", "gcc-2.31").
  std::string variant = {};
  // "NAME=VALUE" the shims set unless the caller did (zig's cache dirs).
  std::vector<std::string> env = {};
  // tool -> caller arguments the tool rejects and the shim drops.
  std::map<std::string, std::vector<std::string>> drop = {};
  // tool -> the CPU flags of Rust's target of the same name, added unless
  // the caller chooses a CPU (shim/resolution.hpp, "@baseline").
  std::map<std::string, std::vector<std::string>> baseline = {};
  // tool -> ends of -L directories the shim passes as -Wl,-L,DIR
  // (shim/resolution.hpp, "@linker-dir").
  std::map<std::string, std::vector<std::string>> linker_dirs = {};
  // tool -> flags the shim adds only to calls that link
  // (shim/resolution.hpp, "@link-only").
  std::map<std::string, std::vector<std::string>> link_only = {};
  // tool -> "NAME=VALUE" the shim sets whatever the caller set
  // (shim/resolution.hpp, "@set"): the target pkg-config's search path.
  std::map<std::string, std::vector<std::string>> set = {};
  // The C library version programs are built against ("2.31" of glibc,
  // "1.2.3" of musl): the toolchain's or sysroot's, or the pin zig builds
  // for; empty when the manifest does not say.
  std::string libc_version = {};
  // Who built the toolchain (gcc, zig) or sysroot (llvm), as the manifest
  // names them ("messense", "bootlin"); empty when it does not say.
  std::string producer = {};
};

// Writes targets/<gnu>.toml (the default install) atomically.
void write_target_record(const Layout& layout, const TargetRecord& record);
// Writes targets/<gnu>@<variant>.toml atomically.
void write_variant_record(const Layout& layout, const TargetRecord& record);

// Reads targets/<gnu>.toml; nullopt when the triple is not installed.
// Throws xtc::Error when the file exists but is damaged.
std::optional<TargetRecord> read_target_record(const Layout& layout,
                                               std::string_view gnu);

// Reads targets/<gnu>@<variant>.toml; nullopt when that variant is not
// installed. Throws xtc::Error when the file exists but is damaged.
std::optional<TargetRecord> read_variant_record(const Layout& layout,
                                                std::string_view gnu,
                                                std::string_view variant);

// All installed targets (their default installs), sorted by name.
std::vector<TargetRecord> list_target_records(const Layout& layout);

// Every installed variant of every target, sorted by file name. The
// artifacts in use are those these records name.
std::vector<TargetRecord> list_variant_records(const Layout& layout);

// Per target (its GNU name), the tools (record keys) of its default install
// and of every installed variant of it: what its shims may run. Reads every
// record once.
std::map<std::string, std::set<std::string>>
installed_tools(const Layout& layout);

} // namespace xtc::store
