// The shim resolution file, targets/<triple>.shim: for each tool of one
// installed target, the program to exec and its fixed leading arguments, plus
// what the toolchain needs around them. xtc writes it at install time so a
// shim call does no lookup beyond reading this one small file. Format (UTF-8
// or raw bytes, tab-separated, one entry a line; fields never contain a tab
// or a newline — format_resolution() rejects those):
//
//   xtc-shim-resolution 1
//   cc<TAB>/abs/program<TAB>--sysroot=/abs/root
//   ar<TAB>/abs/ar
//   @env<TAB>ZIG_GLOBAL_CACHE_DIR=/abs/cache/zig
//   @drop<TAB>cc<TAB>--target=*<TAB>-Wl,--no-undefined-version
//   @baseline<TAB>cc<TAB>-march=armv7-a<TAB>-mfpu=vfpv3-d16<TAB>-mfloat-abi=hard
//   @linker-dir<TAB>cc<TAB>/lib/rustlib/x86_64-unknown-linux-gnu/lib
//   @link-only<TAB>cc<TAB>-fuse-ld=lld<TAB>--ld-path=/usr/bin/ld.lld
//   pkg-config<TAB>pkg-config
//   @set<TAB>pkg-config<TAB>PKG_CONFIG_LIBDIR=/abs/root/usr/lib/pkgconfig
//
// "@env" lines name variables the shim sets for every tool of the target
// unless the caller already set them; "@drop" lines name caller arguments a
// tool must not see (exact, or a prefix followed by '*'), for compilers that
// reject flags build systems pass to every C compiler. "@baseline" lines
// hold the CPU flags a compiler gets after its fixed arguments unless the
// caller chooses a CPU itself (see chooses_cpu). "@linker-dir" lines name
// the ends of directories whose caller "-L DIR" the compiler gets as
// "-Wl,-L,DIR" (see linker_dir_argument). "@link-only" lines hold flags a
// compiler gets after its fixed arguments (and baseline) only when the call
// links (see stops_before_link): clang warns that a linker flag is unused on
// every compile-only call, which fails -Werror builds and CMake's and
// Meson's compiler flag checks. "@set" lines hold variables a tool gets
// whatever the caller set (see forced_value): the target pkg-config's
// search path, which must never be the host's. A tool whose program has
// no '/' is a host program, looked up on PATH when called (see
// host_program_names).
#pragma once

#include <array>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace xtc::shim {

// tool name -> argv (program, then fixed arguments)
using ToolArgv = std::map<std::string, std::vector<std::string>>;

struct Resolution {
  ToolArgv tools;
  std::vector<std::string> env;                         // "NAME=VALUE"
  std::map<std::string, std::vector<std::string>> drop; // tool -> patterns
  std::map<std::string, std::vector<std::string>> baseline = {};    // flags
  std::map<std::string, std::vector<std::string>> linker_dirs = {}; // ends
  std::map<std::string, std::vector<std::string>> link_only = {};   // flags
  std::map<std::string, std::vector<std::string>> set = {}; // NAME=VALUE

  bool operator==(const Resolution&) const = default;
};

// A tool's entry of a per-tool directive (drop, baseline, linker_dirs,
// link_only, set), or an empty list.
const std::vector<std::string>&
tool_entry(const std::map<std::string, std::vector<std::string>>& directive,
           const std::string& tool);

// Does the caller's argument match a drop pattern ("-x" exactly, or "-x*"
// as a prefix)?
bool matches_drop(std::string_view argument, std::string_view pattern);

// Does the caller's argument choose the CPU or FPU itself? Then the tool's
// @baseline flags are left out, whole: mixing a caller's -mcpu with xtc's
// -march makes GCC warn and pick one of them. cc-rs passes its own -march
// on armv7 and i686, and so decides for crates' C code.
constexpr bool chooses_cpu(std::string_view argument) {
  return argument.starts_with("-march=") || argument.starts_with("-mcpu=") ||
         argument.starts_with("-mfpu=");
}

// What a tool's call that chooses no CPU and links gets after its fixed
// arguments: its baseline CPU flags, then its link-only flags. Maps as in
// Resolution (and a target's record).
std::vector<std::string>
linking_flags(const std::map<std::string, std::vector<std::string>>& baseline,
              const std::map<std::string, std::vector<std::string>>& link_only,
              const std::string& tool);

// Does the caller's argument stop the compiler driver before it links?
// Then a tool's @link-only flags are left out.
constexpr bool stops_before_link(std::string_view argument) {
  return argument == "-c" || argument == "-S" || argument == "-E" ||
         argument == "-M" || argument == "-MM" || argument == "-fsyntax-only";
}

// The directory of a caller's "-LDIR" (`used` = 1) or "-L DIR" (`used` =
// 2, DIR being `next`); nullopt for any other argument.
constexpr std::optional<std::string_view>
library_dir(std::string_view argument, const char* next, std::size_t& used) {
  if (!argument.starts_with("-L")) {
    return std::nullopt;
  }
  if (argument.size() > 2) {
    used = 1;
    return argument.substr(2);
  }
  if (next == nullptr) {
    return std::nullopt;
  }
  used = 2;
  return std::string_view(next);
}

// Does a caller's -L directory go to the linker as "-Wl,-L,DIR"? When it
// ends in `end` (a trailing '/' ignored) and has no comma, which -Wl would
// split. For Buildroot's toolchain wrapper (Bootlin's gcc), which refuses
// any -L under /usr/lib or /lib as a host library path, while a distro's
// rustc links with -L /usr/lib/rustlib/<target>/lib, the target's own Rust
// libraries; ld applies every -L to every -l wherever it stands, so the
// link is the same.
constexpr bool passes_to_linker(std::string_view dir, std::string_view end) {
  if (dir.ends_with('/')) {
    dir.remove_suffix(1);
  }
  return !end.empty() && dir.ends_with(end) &&
         dir.find(',') == std::string_view::npos;
}

// The tool names users call, mapped to the resolution's tool keys:
// gcc and cc -> "cc"; g++ and c++ -> "cxx"; others map to themselves.
// Every target has a shim for each of the first ten names and for
// pkg-config (a shim whose tool the chosen variant lacks says so in one
// line). The others exist only
// where an installed variant of the target has the tool: autotools and
// libtool look for "<host>-objdump" and fall back to "objdump" only when it
// is absent, so a shim that could only fail would be worse than none.
struct ShimName {
  std::string_view name; // suffix after "<triple>-": "gcc", "g++", "ar", …
  std::string_view tool; // resolution key: "cc", "cxx", "ar", …
  bool always = true;    // linked for every target, whatever its tools
};
inline constexpr std::array<ShimName, 24> k_shim_names = {{
    {"gcc", "cc"},
    {"cc", "cc"},
    {"g++", "cxx"},
    {"c++", "cxx"},
    {"ar", "ar"},
    {"ranlib", "ranlib"},
    {"strip", "strip"},
    {"nm", "nm"},
    {"objcopy", "objcopy"},
    {"ld", "ld"},
    {"cpp", "cpp", false},
    {"as", "as", false},
    {"objdump", "objdump", false},
    {"readelf", "readelf", false},
    {"size", "size", false},
    {"strings", "strings", false},
    {"addr2line", "addr2line", false},
    {"c++filt", "c++filt", false},
    {"ld.bfd", "ld.bfd", false},
    {"ld.gold", "ld.gold", false},
    {"gcc-ar", "gcc-ar", false},
    {"gcc-nm", "gcc-nm", false},
    {"gcc-ranlib", "gcc-ranlib", false},
    {"pkg-config", "pkg-config"},
}};
inline std::span<const ShimName> shim_names() { return k_shim_names; }

// The shims of a target whose installed variants have `tools` (resolution
// keys): the names that are always there, and those of its tools.
std::vector<ShimName> linked_shims(const std::set<std::string>& tools);

// Splits "<triple>-<name>" into triple and resolution key; nullopt when the
// basename ends in no known tool name.
struct Invocation {
  std::string triple;
  std::string tool;
};
std::optional<Invocation> parse_invocation(std::string_view basename);

// The same without allocating: views into basename and the name table.
struct InvocationView {
  std::string_view triple;
  std::string_view tool;
};
std::optional<InvocationView> match_invocation(std::string_view basename);

// The first line of every resolution file, and the keys of the lines that
// are not tools (tool names never start with '@').
inline constexpr std::string_view k_resolution_header = "xtc-shim-resolution 1";
inline constexpr std::string_view k_env_key = "@env";
inline constexpr std::string_view k_drop_key = "@drop";
inline constexpr std::string_view k_baseline_key = "@baseline";
inline constexpr std::string_view k_linker_dir_key = "@linker-dir";
inline constexpr std::string_view k_link_only_key = "@link-only";
inline constexpr std::string_view k_set_key = "@set";

// The variable that chooses a forced variable's value for one target
// alone: NAME_<triple>, the triple's '-' and '.' as '_'
// ("PKG_CONFIG_PATH_aarch64_linux_gnu"), as cc-rs and pkg-config-rs name
// theirs. A "@set" variable takes its value when the caller sets it.
std::string per_target_variable(std::string_view name, std::string_view triple);

// The names a host program is looked up by on PATH, in order: pkgconf
// installs itself as "pkgconf" and only sometimes as "pkg-config".
std::vector<std::string_view> host_program_names(std::string_view program);

// How to install a host program this machine lacks, for an error's hint.
std::string host_program_install(std::string_view program);

// An "@env" field is NAME=VALUE with a non-empty NAME.
constexpr bool valid_assignment(std::string_view field) {
  const std::size_t eq = field.find('=');
  return eq != std::string_view::npos && eq != 0;
}

// Serialises a resolution; throws xtc::Error when a field holds a tab or a
// newline (a path xtc cannot represent).
std::string format_resolution(const Resolution& resolution);

// Parses a resolution file's text; nullopt when it is malformed.
std::optional<Resolution> parse_resolution(std::string_view text);

} // namespace xtc::shim
