#include "project/cross_target.hpp"

#include "base/error.hpp"
#include "platform/atomic_file.hpp"
#include "platform/fd.hpp"
#include "platform/fs.hpp"
#include "platform/host.hpp"
#include "platform/process.hpp"

#include <fmt/format.h>

#include <array>
#include <system_error>

namespace xtc::project {

namespace fs = std::filesystem;

namespace {

// Record tool name -> the shim suffix users know it by: the tools build
// systems name in their files (and k_named_binutils, by their own names).
constexpr std::array<std::pair<std::string_view, std::string_view>, 8> k_shims =
    {{
        {"cc", "gcc"},
        {"cxx", "g++"},
        {"ar", "ar"},
        {"ranlib", "ranlib"},
        {"strip", "strip"},
        {"gcc-ar", "gcc-ar"},
        {"gcc-ranlib", "gcc-ranlib"},
        {"pkg-config", "pkg-config"},
    }};

std::optional<fs::path> sysroot_of(const std::vector<std::string>& argv) {
  constexpr std::string_view k_flag = "--sysroot";
  for (std::size_t i = 1; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (arg.starts_with(k_flag) && arg.size() > k_flag.size() &&
        arg[k_flag.size()] == '=') {
      return fs::path(arg.substr(k_flag.size() + 1));
    }
    if (arg == k_flag && i + 1 < argv.size()) {
      return fs::path(argv[i + 1]);
    }
  }
  return std::nullopt;
}

// qemu-user names architectures after its own targets, not after uname.
std::string qemu_arch(triple::Arch arch) {
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
    return "i386";
  }
  return "unknown";
}

bool directory_exists(const fs::path& path) {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

} // namespace

CrossTarget describe_cross_target(const triple::Triple& target,
                                  const store::Layout& layout, const Env& env) {
  const std::optional<store::TargetRecord> record =
      store::read_target_record(layout, target.gnu());
  if (!record) {
    throw Error(fmt::format("target '{}' is not installed", target.display()),
                fmt::format("run 'xtc target add {}' first", target.display()));
  }
  CrossTarget cross = cross_target_from_record(target, *record, layout, {});
  const std::string host = platform::host_platform();
  cross.emulator = find_emulator(target, cross.target_root, host, env);
  cross.native = runs_natively(target, host);
  return cross;
}

CrossTarget cross_target_from_record(const triple::Triple& target,
                                     const store::TargetRecord& record,
                                     const store::Layout& layout,
                                     std::vector<std::string> emulator) {
  CrossTarget cross{
      target, {}, std::nullopt, std::nullopt, std::move(emulator)};
  const auto add = [&](std::string_view tool, std::string_view suffix) {
    if (record.tools.contains(std::string(tool))) {
      cross.tools[std::string(tool)] =
          layout.bin() / fmt::format("{}-{}", target.gnu(), suffix);
    }
  };
  for (const auto& [tool, suffix] : k_shims) {
    add(tool, suffix);
  }
  for (const std::string_view tool : k_named_binutils) {
    add(tool, tool);
  }
  const auto cc = record.tools.find("cc");
  if (cc == record.tools.end()) {
    throw Error(fmt::format("the record of target '{}' names no C compiler",
                            target.display()),
                fmt::format("reinstall it: xtc target remove {0} && xtc "
                            "target add {0}",
                            target.display()));
  }
  cross.sysroot = sysroot_of(cc->second);
  if (cross.sysroot) {
    cross.target_root = target_root_of(target, *cross.sysroot);
  } else if (const fs::path compiler(cc->second.front());
             compiler.is_absolute()) {
    cross.find_root = compiler.parent_path();
  }
  return cross;
}

fs::path target_root_of(const triple::Triple& target, const fs::path& sysroot) {
  // Debian's cross toolchains keep the target's libraries and loader in
  // <root>/usr/<cross triple>/lib, not <root>/lib. The cross triple is the
  // multiarch name (aarch64-linux-gnu, arm-linux-gnueabihf), except for
  // i386, whose toolchain is i686-linux-gnu.
  if (!directory_exists(sysroot / "lib")) {
    for (const std::string& name : {target.debian(), target.gnu()}) {
      const fs::path debian = sysroot / "usr" / name;
      if (directory_exists(debian / "lib")) {
        return debian.lexically_normal();
      }
    }
  }
  return sysroot.lexically_normal();
}

bool same_machine(const triple::Triple& target,
                  const std::string& host_platform) {
  return host_platform.ends_with("-linux") &&
         host_platform.substr(0, host_platform.find('-')) == target.arch_name();
}

bool runs_natively(const triple::Triple& target,
                   const std::string& host_platform) {
  return same_machine(target, host_platform) &&
         target.libc == triple::Libc::gnu;
}

std::vector<std::string>
find_emulator(const triple::Triple& target,
              const std::optional<fs::path>& target_root,
              const std::string& host_platform, const Env& env) {
  if (runs_natively(target, host_platform)) {
    return {};
  }
  const std::string path = env.get("PATH").value_or("");
  const std::string arch = qemu_arch(target.arch);
  std::optional<fs::path> qemu =
      platform::find_program("qemu-" + arch + "-static", path);
  if (!qemu) {
    qemu = platform::find_program("qemu-" + arch, path);
  }
  if (!qemu) {
    return {};
  }
  std::vector<std::string> argv{qemu->string()};
  if (target_root) {
    argv.insert(argv.end(), {"-L", target_root->string()});
  }
  return argv;
}

bool write_generated_file(const fs::path& path, std::string_view text,
                          std::string_view role) {
  const std::optional<std::string> existing =
      platform::read_file_if_exists(path, role);
  if (existing && *existing == text) {
    return false;
  }
  platform::make_directories(path.parent_path(),
                             fmt::format("{} directory", role));
  platform::write_file_atomic(path, text, role);
  return true;
}

fs::path default_cmake_toolchain_path(const fs::path& dir,
                                      const triple::Triple& target) {
  return dir / "cmake" / ("xtc-" + target.gnu() + ".cmake");
}

fs::path default_meson_cross_path(const fs::path& dir,
                                  const triple::Triple& target) {
  return dir / ("xtc-" + target.gnu() + ".ini");
}

} // namespace xtc::project
