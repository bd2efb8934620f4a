#include "install/toolchain_spec.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"
#include "platform/process.hpp"

#include <system_error>

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

std::string sysroot_flag(const fs::path& root, const std::string& relative) {
  const fs::path path = relative == "." ? root : (root / relative);
  return "--sysroot=" + path.lexically_normal().string();
}

// argv = program + flags (+ more flags)
std::vector<std::string> command(std::string program,
                                 const std::vector<std::string>& flags) {
  std::vector<std::string> argv{std::move(program)};
  argv.insert(argv.end(), flags.begin(), flags.end());
  return argv;
}

void describe_gcc(const manifest::Artifact& toolchain,
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
  for (const auto& [tool, relative] : toolchain.tools) {
    const std::string program = (root / relative).string();
    if (tool == "cc" || tool == "cxx") {
      record.tools[tool] = command(program, cflags);
    } else if (tool == "ld") {
      record.tools[tool] = command(program, ldflags);
    } else {
      record.tools[tool] = {program};
    }
  }
}

void describe_llvm(const triple::Triple& target,
                   const manifest::Artifact& sysroot,
                   const store::Layout& layout, const Env& env,
                   store::TargetRecord& record) {
  const fs::path root = layout.toolchain(sysroot.id);
  std::vector<std::string> cflags = {
      "--target=" + target.llvm(),
      sysroot_flag(root, sysroot.sysroot.value_or(".")), "-fuse-ld=lld"};
  const std::vector<std::string> extra = expand(sysroot.cflags, root);
  cflags.insert(cflags.end(), extra.begin(), extra.end());
  for (const auto& [tool, program] : find_llvm_tools(env)) {
    if (tool == "cc" || tool == "cxx") {
      record.tools[tool] = command(program, cflags);
    } else if (tool == "ld") {
      record.tools[tool] = {program, cflags[1]};
    } else {
      record.tools[tool] = {program};
    }
  }
}

void describe_zig(const triple::Triple& target,
                  const manifest::Artifact& toolchain,
                  const store::Layout& layout, store::TargetRecord& record) {
  const fs::path root = layout.toolchain(toolchain.id);
  const auto zig = toolchain.tools.find("cc");
  const std::string program = (root / zig->second).string();
  record.tools["cc"] = {program, "cc", "-target", target.zig()};
  record.tools["cxx"] = {program, "c++", "-target", target.zig()};
  for (const char* tool : {"ar", "ranlib", "objcopy"}) {
    record.tools[tool] = {program, tool};
  }
}

} // namespace

std::map<std::string, std::string> find_llvm_tools(const Env& env) {
  const std::string path = env.get("PATH").value_or("/usr/bin:/bin");
  std::optional<fs::path> clang = platform::find_program("clang", path);
  if (!clang) {
    throw Error("the llvm flavor needs clang, and there is no 'clang' on PATH",
                "install clang and lld (apt-get install clang lld, or brew "
                "install llvm lld), or choose another flavor with --flavor");
  }
  // Debian's /usr/bin/clang links to /usr/lib/llvm-N/bin/clang, where the
  // unversioned llvm-ar and ld.lld of the same release live.
  std::error_code ec;
  const fs::path real = fs::canonical(*clang, ec);
  const fs::path dir = ec ? clang->parent_path() : real.parent_path();
  const auto locate = [&](const std::string& name) -> std::string {
    if (platform::find_program((dir / name).string(), path)) {
      return (dir / name).string();
    }
    if (auto found = platform::find_program(name, path)) {
      return found->string();
    }
    throw Error(
        fmt::format("the llvm flavor needs '{}' next to '{}' or on PATH", name,
                    clang->string()),
        "install the LLVM tools and lld (apt-get install llvm lld, or "
        "brew install llvm lld)");
  };
  const std::string cc = ec ? clang->string() : real.string();
  std::map<std::string, std::string> tools = {{"cc", cc}};
  tools["cxx"] = locate("clang++");
  tools["ar"] = locate("llvm-ar");
  tools["ranlib"] = locate("llvm-ranlib");
  tools["strip"] = locate("llvm-strip");
  tools["nm"] = locate("llvm-nm");
  tools["objcopy"] = locate("llvm-objcopy");
  tools["ld"] = locate("ld.lld");
  return tools;
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
  for (const manifest::Artifact* artifact :
       {selection.toolchain, selection.sysroot}) {
    if (artifact != nullptr) {
      record.artifacts.push_back(artifact->id);
    }
  }
  switch (selection.flavor) {
  case manifest::Flavor::gcc:
    describe_gcc(*selection.toolchain, layout, record);
    break;
  case manifest::Flavor::llvm:
    describe_llvm(target, *selection.sysroot, layout, env, record);
    break;
  case manifest::Flavor::zig:
    describe_zig(target, *selection.toolchain, layout, record);
    break;
  }
  return record;
}

} // namespace xtc::install
