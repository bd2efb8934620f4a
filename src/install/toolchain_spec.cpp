#include "install/toolchain_spec.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"
#include "platform/host.hpp"
#include "platform/process.hpp"
#include "project/cross_target.hpp"
#include "shim/resolution.hpp"

#include <unistd.h>

#include <algorithm>
#include <map>
#include <system_error>
#include <utility>

namespace xtc::install {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> expand(const std::vector<std::string>& flags,
                                const fs::path& root) {
  std::vector<std::string> out;
  out.reserve(flags.size());
  for (const std::string& flag : flags) {
    out.push_back(replace_all(flag, "{root}", root.string()));
  }
  return out;
}

bool executable(const fs::path& file) {
  return ::access(file.c_str(), X_OK) == 0;
}

// The sysroot directory of an artifact installed at `root` whose manifest
// row says sysroot = `relative`.
fs::path sysroot_path(const fs::path& root, const std::string& relative) {
  return (relative == "." ? root : root / relative).lexically_normal();
}

std::string sysroot_flag(const fs::path& root, const std::string& relative) {
  return "--sysroot=" + sysroot_path(root, relative).string();
}

// argv = program + flags (+ more flags)
std::vector<std::string> command(std::string program,
                                 const std::vector<std::string>& flags) {
  std::vector<std::string> argv{std::move(program)};
  argv.insert(argv.end(), flags.begin(), flags.end());
  return argv;
}

// The CPU flags of Rust's target of the same name, for the gcc and llvm
// flavors: a toolchain's own default may be another CPU (messense's armv7
// GCC defaults to NEON and VFPv4, which a Cortex-A9 without NEON cannot
// run; Debian's i686 GCC and clang 14 do their floating point on the x87),
// so C and C++ built for a Rust program would not match the CPU its Rust
// code was built for. Rust: armv7-unknown-linux-gnueabihf is ARMv7-A with
// VFPv3-D16 and no NEON, hard-float; i686-unknown-linux-gnu is a Pentium 4
// (SSE2), whose floating point LLVM does in SSE registers. The other
// architectures' defaults already are Rust's (x86-64, ARMv8-A, rv64gc with
// lp64d). The zig flavor names its CPU itself (zig_target_flags).
std::vector<std::string> baseline_flags(const triple::Triple& target) {
  switch (target.arch) {
  case triple::Arch::armv7:
    return {"-march=armv7-a", "-mfpu=vfpv3-d16", "-mfloat-abi=hard"};
  case triple::Arch::i686:
    return {"-march=pentium4", "-mfpmath=sse"};
  case triple::Arch::x86_64:
  case triple::Arch::aarch64:
  case triple::Arch::riscv64:
    return {};
  }
  return {};
}

void set_baseline(const triple::Triple& target, store::TargetRecord& record) {
  const std::vector<std::string> flags = baseline_flags(target);
  if (!flags.empty()) {
    // The preprocessor too: the CPU decides macros such as __ARM_NEON.
    for (const char* tool : {"cc", "cxx", "cpp"}) {
      if (record.tools.contains(tool)) {
        record.baseline[tool] = flags;
      }
    }
  }
}

// The tools a GNU toolchain has beside its C compiler that its manifest row
// leaves out (tool -> path relative to the install root): for a compiler
// "<dir>/<prefix>gcc<suffix>", "<dir>/<prefix><tool><suffix>" (Debian's
// aarch64-linux-gnu-gcc-ar-12 beside aarch64-linux-gnu-gcc-12) or else
// "<dir>/<prefix><tool>" (binutils carry no compiler version). crosstool-ng,
// Buildroot and Debian install them all; rows name only what every flavor
// has.
std::map<std::string, std::string>
tools_beside_compiler(const fs::path& root, const std::string& compiler) {
  const fs::path relative(compiler);
  const std::string base = relative.filename().string();
  const std::size_t at = base.rfind("gcc");
  if (at == std::string::npos || (at != 0 && base[at - 1] != '-')) {
    return {};
  }
  const std::string prefix = base.substr(0, at);
  const std::string suffix = base.substr(at + 3);
  std::map<std::string, std::string> found;
  for (const shim::ShimName& name : shim::shim_names()) {
    const std::string tool(name.tool);
    if (name.always || found.contains(tool)) {
      continue;
    }
    for (const std::string& candidate :
         {prefix + tool + suffix, prefix + tool}) {
      const fs::path path = relative.parent_path() / candidate;
      if (executable(root / path)) {
        found.emplace(tool, path.string());
        break;
      }
    }
  }
  return found;
}

// Buildroot's toolchain wrapper (every Bootlin toolchain's gcc and g++)
// execs <name>.br_real beside itself and refuses -L paths under /usr/lib
// and /lib; the shim passes the target's own Rust library directory, which
// a distro's rustc has there, to the linker instead (see
// shim::passes_to_linker).
void pass_rust_libraries(const triple::Triple& target, const fs::path& root,
                         const manifest::Artifact& toolchain,
                         store::TargetRecord& record) {
  for (const char* tool : {"cc", "cxx"}) {
    const auto it = toolchain.tools.find(tool);
    std::error_code ec;
    if (it != toolchain.tools.end() &&
        fs::exists(root / (it->second + ".br_real"), ec)) {
      record.linker_dirs[tool] = {"/lib/rustlib/" + target.rust() + "/lib"};
    }
  }
}

void describe_gcc(const triple::Triple& target,
                  const manifest::Artifact& toolchain,
                  const store::Layout& layout, store::TargetRecord& record) {
  const fs::path root = layout.toolchain(toolchain.id);
  std::vector<std::string> cflags;
  std::vector<std::string> ldflags;
  if (toolchain.sysroot) {
    cflags.push_back(sysroot_flag(root, *toolchain.sysroot));
    ldflags.push_back(cflags.back());
  }
  const std::vector<std::string> extra = expand(toolchain.cflags, root);
  cflags.insert(cflags.end(), extra.begin(), extra.end());
  std::map<std::string, std::string> tools = toolchain.tools;
  if (const auto cc = toolchain.tools.find("cc"); cc != toolchain.tools.end()) {
    tools.merge(tools_beside_compiler(root, cc->second));
  }
  for (const auto& [tool, relative] : tools) {
    const std::string program = (root / relative).string();
    if (tool == "cc" || tool == "cxx" || tool == "cpp") {
      record.tools[tool] = command(program, cflags);
    } else if (tool == "ld" || tool == "ld.bfd" || tool == "ld.gold") {
      record.tools[tool] = command(program, ldflags);
    } else {
      record.tools[tool] = {program};
    }
  }
  set_baseline(target, record);
  pass_rust_libraries(target, root, toolchain, record);
}

// Whether a sysroot holds a C++ standard library's headers (libstdc++'s
// include/c++/<version>, libc++'s include/c++/v1), in usr/, at its top, or
// in a Debian cross toolchain's usr/<triple>/: clang++ needs one, and a
// sysroot of the C library alone (musl's, as Debian packages it) has none.
bool has_cxx_library(const fs::path& sysroot) {
  std::error_code ec;
  if (fs::is_directory(sysroot / "usr" / "include" / "c++", ec) ||
      fs::is_directory(sysroot / "include" / "c++", ec)) {
    return true;
  }
  for (fs::directory_iterator it(sysroot / "usr", ec), end; !ec && it != end;
       it.increment(ec)) {
    std::error_code missing;
    if (fs::is_directory(it->path() / "include" / "c++", missing)) {
      return true;
    }
  }
  return false;
}

void describe_llvm(const triple::Triple& target,
                   const manifest::Artifact& sysroot,
                   const store::Layout& layout, const Env& env,
                   store::TargetRecord& record) {
  const fs::path root = layout.toolchain(sysroot.id);
  std::map<std::string, std::string> tools = find_llvm_tools(env);
  const std::string relative = sysroot.sysroot.value_or(".");
  // No C++ compiler where it could only fail: the g++ shim then says so in
  // one line, naming the flavor that has C++.
  if (!has_cxx_library(sysroot_path(root, relative))) {
    tools.erase("cxx");
  }
  std::vector<std::string> cflags = {"--target=" + target.llvm(),
                                     sysroot_flag(root, relative)};
  const std::vector<std::string> extra = expand(sysroot.cflags, root);
  cflags.insert(cflags.end(), extra.begin(), extra.end());
  for (const auto& [tool, program] : tools) {
    if (tool == "cc" || tool == "cxx") {
      record.tools[tool] = command(program, cflags);
      // Only where the call links, so compile-only calls stay warning-free.
      // --ld-path: the very ld.lld found, wherever it is (Homebrew keeps it
      // off clang's own directory); -fuse-ld=lld still picks lld's flavor.
      record.link_only[tool] = {"-fuse-ld=lld", "--ld-path=" + tools.at("ld")};
    } else if (tool == "ld") {
      record.tools[tool] = {program, cflags[1]};
    } else {
      record.tools[tool] = {program};
    }
  }
  set_baseline(target, record);
}

// zig names the CPU, not the ISA, after -mcpu: "generic" plus features.
// Rust's armv7-unknown-linux-gnueabihf is ARMv7-A with VFPv3-D16 and Thumb-2
// and without NEON (Debian's armhf baseline too); zig's default for "arm" is
// older, so the shims ask for the same feature set Rust assumes, as
// cargo-zigbuild does. riscv64 and x86 defaults already are Rust's baselines
// (rv64gc; i686 via zig's "x86").
// -fno-lto on 32-bit Arm: zig 0.11 turns on LTO by itself when it compiles
// and links optimized C++ in one call, and its LLD then crashes (SIGSEGV) on
// arm-linux-musleabihf (`zig c++ -O1 hello.cpp`); compiling and linking in
// two steps, or without LTO, works. A later -flto from the caller still wins.
std::vector<std::string> zig_target_flags(const triple::Triple& target) {
  if (target.arch == triple::Arch::armv7) {
    return {"-mcpu=generic+v7a+vfp3-d32+thumb2-neon", "-fno-lto"};
  }
  return {};
}

// Caller arguments `zig cc` rejects although GCC and clang take them
// (checked against zig 0.11):
//   --target=<llvm triple>  cc-rs adds it for clang-like compilers; zig reads
//                           it as its own -target and cannot parse the LLVM
//                           spelling ("UnknownOperatingSystem"). The shim's
//                           -target already names the target.
//   -march=<isa>            on arm and riscv64, cc-rs passes GCC's ISA names
//                           (armv7-a, rv64gc), which zig reads as CPU names
//                           ("unknown CPU"); -mcpu above states the ISA.
//   -Wl,--no-undefined-version, -Wl,-z,nostart-stop-gc
//                           rustc's linker arguments zig's linker driver does
//                           not know; the first only makes version scripts
//                           stricter, the second keeps __start_/__stop_
//                           sections of old crates alive (lld's default
//                           before LLD 13, which zig 0.11's lld ignores).
std::vector<std::string> zig_dropped_args(const triple::Triple& target) {
  std::vector<std::string> drop = {"--target=*", "-Wl,--no-undefined-version",
                                   "-Wl,-z,nostart-stop-gc"};
  if (target.arch == triple::Arch::armv7 ||
      target.arch == triple::Arch::riscv64) {
    drop.emplace_back("-march=*");
  }
  return drop;
}

void describe_zig(const triple::Triple& target,
                  const manifest::Artifact& toolchain,
                  const store::Layout& layout, store::TargetRecord& record) {
  const fs::path root = layout.toolchain(toolchain.id);
  const auto zig = toolchain.tools.find("cc");
  const std::string program = (root / zig->second).string();
  // zig's -target carries the glibc pin ("x86_64-linux-gnu.2.17"): zig
  // builds the stubs of that glibc version itself.
  std::vector<std::string> flags = {"-target", target.zig()};
  const std::vector<std::string> extra = zig_target_flags(target);
  flags.insert(flags.end(), extra.begin(), extra.end());
  record.tools["cc"] = command(program, {"cc"});
  record.tools["cc"].insert(record.tools["cc"].end(), flags.begin(),
                            flags.end());
  record.tools["cxx"] = command(program, {"c++"});
  record.tools["cxx"].insert(record.tools["cxx"].end(), flags.begin(),
                             flags.end());
  for (const char* tool : {"ar", "ranlib", "objcopy"}) {
    record.tools[tool] = {program, tool};
  }
  // zig's caches (compiled libc, libc++ and glibc stubs per target, tens of
  // seconds each to build) live in xtc's home, shared by every target and
  // kept across installs, instead of ~/.cache/zig and a zig-cache directory
  // in whatever directory the compiler runs.
  const std::string cache = (layout.cache() / "zig").string();
  record.env = {"ZIG_GLOBAL_CACHE_DIR=" + cache,
                "ZIG_LOCAL_CACHE_DIR=" + cache};
  const std::vector<std::string> drop = zig_dropped_args(target);
  record.drop["cc"] = drop;
  record.drop["cxx"] = drop;
}

} // namespace

std::map<std::string, std::string> find_llvm_tools(const Env& env) {
  const std::string path = env.get("PATH").value_or("/usr/bin:/bin");
  const bool mac = platform::host_platform().ends_with("-darwin");
  // Homebrew's `llvm` is keg-only: its clang and llvm-* tools are under
  // <prefix>/opt/llvm/bin, not on PATH; `lld` is a formula of its own
  // (<prefix>/opt/lld/bin). The opt/ paths survive `brew upgrade`.
  std::vector<fs::path> brew;
  if (auto prefix = env.get("HOMEBREW_PREFIX")) {
    brew.emplace_back(*prefix);
  }
  for (const char* prefix :
       {"/opt/homebrew", "/usr/local", "/home/linuxbrew/.linuxbrew"}) {
    if (std::find(brew.begin(), brew.end(), fs::path(prefix)) == brew.end()) {
      brew.emplace_back(prefix);
    }
  }
  // The clangs to try, each with the directory its sibling tools are in:
  // PATH's (Debian's /usr/bin/clang links into /usr/lib/llvm-N/bin, where
  // llvm-ar and ld.lld of the same release live) and Homebrew's. On a Mac,
  // Homebrew's first: Apple's /usr/bin/clang comes with no ld.lld or
  // llvm-ar, and without every LLVM target.
  struct Candidate {
    fs::path clang;
    fs::path dir;
  };
  std::vector<Candidate> candidates;
  if (std::optional<fs::path> clang = platform::find_program("clang", path)) {
    std::error_code ec;
    const fs::path real = fs::canonical(*clang, ec);
    candidates.push_back(ec ? Candidate{*clang, clang->parent_path()}
                            : Candidate{real, real.parent_path()});
  }
  for (const fs::path& prefix : brew) {
    const fs::path bin = prefix / "opt" / "llvm" / "bin";
    if (executable(bin / "clang")) {
      candidates.insert(mac ? candidates.begin() : candidates.end(),
                        Candidate{bin / "clang", bin});
    }
  }
  const std::string install =
      mac ? "brew install llvm lld"
          : "apt-get install clang llvm lld, or brew install llvm lld";
  if (candidates.empty()) {
    throw Error("the llvm flavor needs clang, and there is none on PATH or "
                "in Homebrew's opt/llvm",
                fmt::format("install it ({}), or choose another flavor with "
                            "--flavor",
                            install));
  }

  std::string missing;
  for (const Candidate& candidate : candidates) {
    const auto locate =
        [&](const std::string& name) -> std::optional<fs::path> {
      if (executable(candidate.dir / name)) {
        return candidate.dir / name;
      }
      for (const fs::path& prefix : brew) {
        const fs::path formula = name == "ld.lld" ? "lld" : "llvm";
        if (executable(prefix / "opt" / formula / "bin" / name)) {
          return prefix / "opt" / formula / "bin" / name;
        }
      }
      return platform::find_program(name, path);
    };
    std::map<std::string, std::string> tools = {
        {"cc", candidate.clang.string()}};
    for (const auto& [tool, name] : {std::pair{"cxx", "clang++"},
                                     {"ar", "llvm-ar"},
                                     {"ranlib", "llvm-ranlib"},
                                     {"strip", "llvm-strip"},
                                     {"nm", "llvm-nm"},
                                     {"objcopy", "llvm-objcopy"},
                                     {"ld", "ld.lld"}}) {
      if (std::optional<fs::path> found = locate(name)) {
        tools[tool] = found->string();
      } else if (missing.empty()) {
        missing =
            fmt::format("the llvm flavor needs '{}' next to '{}', on "
                        "PATH or in Homebrew's opt/{}",
                        name, candidate.clang.string(),
                        std::string_view(name) == "ld.lld" ? "lld" : "llvm");
      }
    }
    if (tools.size() == 8) {
      // LLVM's other binutils, where they are found the same way.
      for (const auto& [tool, name] : {std::pair{"objdump", "llvm-objdump"},
                                       {"readelf", "llvm-readelf"},
                                       {"size", "llvm-size"},
                                       {"strings", "llvm-strings"},
                                       {"addr2line", "llvm-addr2line"},
                                       {"c++filt", "llvm-cxxfilt"}}) {
        if (std::optional<fs::path> found = locate(name)) {
          tools[tool] = found->string();
        }
      }
      return tools;
    }
  }
  throw Error(missing, fmt::format("install the LLVM tools and lld ({})",
                                   mac ? "brew install llvm lld" : install));
}

namespace {

// The directory a gcc toolchain's or llvm sysroot's --sysroot names.
fs::path sysroot_dir(const manifest::Artifact& artifact,
                     const store::Layout& layout) {
  return sysroot_path(layout.toolchain(artifact.id),
                      artifact.sysroot.value_or("."));
}

// "NAME=DIR:DIR…"
std::string search_path(std::string_view name,
                        const std::vector<fs::path>& dirs) {
  std::string value(name);
  value += '=';
  for (const fs::path& dir : dirs) {
    value += value.back() == '=' ? "" : ":";
    value += dir.string();
  }
  return value;
}

} // namespace

void set_pkg_config(const triple::Triple& target,
                    const std::optional<fs::path>& sysroot,
                    store::TargetRecord& record) {
  record.tools["pkg-config"] = {"pkg-config"};
  std::vector<std::string>& set = record.set["pkg-config"];
  // PKG_CONFIG_PATH names the host's directories more often than not (a
  // Homebrew user's keg-only openssl); a target's own extra directories go
  // in PKG_CONFIG_PATH_<triple> (shim::per_target_variable).
  set = {"PKG_CONFIG_PATH="};
  if (!sysroot) {
    // The compiler brings the C library itself (zig): no .pc files, and
    // none of this host's either.
    set.insert(set.end(), {"PKG_CONFIG_LIBDIR=", "PKG_CONFIG_SYSROOT_DIR="});
    return;
  }
  // .pc files say prefix=/usr; pkgconf puts the sysroot in front of every
  // -I and -L, and leaves out those of the directories the compiler
  // searches anyway (the system directories), as a native build does: an
  // -I of the sysroot's usr/include would come before the C++ library's
  // own headers and break their #include_next.
  const fs::path root = project::target_root_of(target, *sysroot);
  std::vector<fs::path> pc_dirs;
  std::vector<fs::path> include_dirs;
  std::vector<fs::path> library_dirs;
  if (root != *sysroot) {
    // A Debian cross toolchain: the target's files are in usr/<triple>.
    pc_dirs = {root / "lib/pkgconfig", root / "share/pkgconfig"};
    include_dirs = {root / "include"};
    library_dirs = {root / "lib"};
  } else {
    const fs::path usr = root / "usr";
    pc_dirs.push_back(usr / "lib" / target.debian() / "pkgconfig");
    std::error_code ec;
    for (fs::directory_iterator it(usr / "lib", ec), end; !ec && it != end;
         it.increment(ec)) {
      const fs::path dir = it->path() / "pkgconfig";
      std::error_code missing;
      if (it->path().filename() != "pkgconfig" &&
          std::find(pc_dirs.begin(), pc_dirs.end(), dir) == pc_dirs.end() &&
          fs::is_directory(dir, missing)) {
        pc_dirs.push_back(dir);
      }
    }
    pc_dirs.insert(pc_dirs.end(),
                   {usr / "lib64/pkgconfig", usr / "lib/pkgconfig",
                    usr / "share/pkgconfig"});
    include_dirs = {usr / "include"};
    for (const fs::path& lib : {usr / "lib", root / "lib"}) {
      library_dirs.insert(library_dirs.end(),
                          {lib / target.debian(), lib, lib.string() + "64"});
    }
  }
  set.insert(set.end(),
             {search_path("PKG_CONFIG_LIBDIR", pc_dirs),
              "PKG_CONFIG_SYSROOT_DIR=" + sysroot->string(),
              search_path("PKG_CONFIG_SYSTEM_INCLUDE_PATH", include_dirs),
              search_path("PKG_CONFIG_SYSTEM_LIBRARY_PATH", library_dirs)});
}

store::TargetRecord describe_target(const triple::Triple& target,
                                    const manifest::Selection& selection,
                                    const store::Layout& layout,
                                    const Env& env) {
  store::TargetRecord record;
  record.triple = target.display();
  record.gnu = target.gnu();
  record.rust = target.rust();
  record.flavor = manifest::flavor_name(selection.flavor);
  record.producer = selection.chosen_producer().value_or(std::string());
  for (const manifest::Artifact* artifact :
       {selection.toolchain, selection.sysroot}) {
    if (artifact != nullptr) {
      record.artifacts.push_back(artifact->id);
    }
  }
  // What programs are built against: zig builds for the pin itself, the
  // others for their toolchain's or sysroot's C library.
  const manifest::Artifact* libc = selection.flavor == manifest::Flavor::gcc
                                       ? selection.toolchain
                                       : selection.sysroot;
  if (selection.flavor == manifest::Flavor::zig && target.libc_version) {
    record.libc_version = *target.libc_version;
  } else if (libc != nullptr && libc->libc_version) {
    record.libc_version = *libc->libc_version;
  }
  switch (selection.flavor) {
  case manifest::Flavor::gcc:
    describe_gcc(target, *selection.toolchain, layout, record);
    set_pkg_config(
        target,
        selection.toolchain->sysroot
            ? std::optional(sysroot_dir(*selection.toolchain, layout))
            : std::nullopt,
        record);
    break;
  case manifest::Flavor::llvm:
    describe_llvm(target, *selection.sysroot, layout, env, record);
    set_pkg_config(target, sysroot_dir(*selection.sysroot, layout), record);
    break;
  case manifest::Flavor::zig:
    describe_zig(target, *selection.toolchain, layout, record);
    set_pkg_config(target, std::nullopt, record);
    break;
  }
  return record;
}

} // namespace xtc::install
