#include "shim/runtime.hpp"

#include "base/error.hpp"
#include "platform/fd.hpp"
#include "platform/process.hpp"
#include "shim/active.hpp"
#include "shim/resolution.hpp"
#include "store/layout.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <optional>
#include <string>

namespace xtc::shim {
namespace {

std::string_view basename_of(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::filesystem::path xtc_home(const std::filesystem::path& self) {
  if (const char* home = std::getenv("XTC_HOME");
      home != nullptr && *home != '\0') {
    return home;
  }
  // The shim lives in <home>/bin.
  return self.parent_path().parent_path();
}

std::filesystem::path working_directory() {
  std::string buffer(256, '\0');
  while (::getcwd(buffer.data(), buffer.size()) == nullptr) {
    if (errno != ERANGE) {
      throw_errno("cannot find the working directory to look for xtc.toml");
    }
    buffer.resize(buffer.size() * 2);
  }
  return std::filesystem::path(buffer.c_str());
}

int bump_depth() {
  const char* value = std::getenv("XTC_SHIM_DEPTH");
  const int depth = value != nullptr ? std::atoi(value) : 0;
  ::setenv("XTC_SHIM_DEPTH", std::to_string(depth + 1).c_str(), 1);
  return depth;
}

bool same_file(const std::string& a, const std::filesystem::path& b) {
  struct stat sa {};
  struct stat sb {};
  return ::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 &&
         sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

void trace(const std::vector<char*>& argv, std::string_view called_as) {
  const char* path = std::getenv("XTC_SHIM_TRACE");
  if (path == nullptr || *path == '\0') {
    return;
  }
  std::string line(called_as);
  line += " ->";
  for (const char* arg : argv) {
    if (arg != nullptr) {
      line += ' ';
      line += arg;
    }
  }
  line += '\n';
  // One O_APPEND write per call keeps concurrent shims' lines whole.
  const int fd = ::open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd >= 0) {
    const platform::Fd owner(fd);
    (void)::write(fd, line.data(), line.size());
  }
}

// The program a resolution names: itself when it is a path, else the first
// of its host names on PATH (the target pkg-config runs the host's).
std::string located_program(const std::string& program,
                            std::string_view called_as) {
  if (program.find('/') != std::string::npos) {
    return program;
  }
  const char* path = std::getenv("PATH");
  const std::vector<std::string_view> names = host_program_names(program);
  std::string listed;
  for (const std::string_view name : names) {
    if (const std::optional<std::filesystem::path> found =
            platform::find_program(std::string(name), path ? path : "")) {
      return found->string();
    }
    listed += listed.empty() ? "" : " nor ";
    listed += name;
  }
  throw Error(fmt::format("'{}' runs this machine's {}, and PATH has {}{}",
                          called_as, program,
                          names.size() > 1 ? "neither " : "no ", listed),
              host_program_install(program));
}

} // namespace

void run(int argc, char** argv) {
  const std::string_view called_as = basename_of(argv[0]);
  const std::optional<Invocation> invocation = parse_invocation(called_as);
  if (!invocation) {
    throw usage_error(
        fmt::format("'{}' is not a tool name xtc provides", called_as),
        "shims are called as <target>-<tool>, e.g. aarch64-linux-musl-gcc");
  }
  if (bump_depth() >= k_max_shim_depth) {
    throw Error(
        fmt::format("'{}' calls itself through xtc's shims", called_as),
        "a toolchain's tool points back at a shim; reinstall the target "
        "or check PATH for a loop");
  }

  const std::filesystem::path self = platform::current_executable(argv[0]);
  const store::Layout layout(xtc_home(self));
  const Active active = find_active(
      layout, invocation->triple,
      [](const std::string& name) -> std::optional<std::string> {
        const char* value = std::getenv(name.c_str());
        if (value == nullptr || *value == '\0') {
          return std::nullopt;
        }
        return std::string(value);
      },
      working_directory());
  if (!active.resolution) {
    throw not_installed(active, called_as);
  }
  const auto tool = active.resolution->tools.find(invocation->tool);
  if (tool == active.resolution->tools.end()) {
    if (invocation->tool == "cxx") {
      // A C-only toolchain (the llvm flavor over a sysroot with no C++
      // library): what to use instead.
      throw Error(fmt::format("the '{}' toolchain has no C++ compiler: it "
                              "has no C++ standard library",
                              invocation->triple),
                  fmt::format("the zig flavor brings libc++ for every "
                              "target: xtc target add {} --flavor zig",
                              invocation->triple));
    }
    throw Error(
        fmt::format("the '{}' toolchain has no '{}'", invocation->triple,
                    invocation->tool),
        fmt::format("run 'xtc which {}' to see what it provides", called_as));
  }
  const std::string program = located_program(tool->second.front(), called_as);
  if (same_file(program, self)) {
    throw Error(
        fmt::format("'{}' resolves to an xtc shim ('{}')", called_as, program),
        fmt::format("run 'xtc target add {}' to repair the install",
                    invocation->triple));
  }

  const Resolution& resolution = *active.resolution;
  const std::vector<std::string>& drop =
      tool_entry(resolution.drop, tool->first);
  const std::vector<std::string>& baseline =
      tool_entry(resolution.baseline, tool->first);
  const std::vector<std::string>& linker_dirs =
      tool_entry(resolution.linker_dirs, tool->first);
  const std::vector<std::string>& link_only =
      tool_entry(resolution.link_only, tool->first);
  std::vector<char*> args;
  args.reserve(tool->second.size() + baseline.size() + link_only.size() +
               static_cast<std::size_t>(argc) + 1);
  const auto add = [&args](const std::string& arg) {
    args.push_back(const_cast<char*>(arg.c_str())); // NOLINT: execv's signature
  };
  std::for_each(tool->second.begin(), tool->second.end(), add);
  if (std::none_of(argv + 1, argv + argc,
                   [](const char* arg) { return chooses_cpu(arg); })) {
    std::for_each(baseline.begin(), baseline.end(), add);
  }
  if (std::none_of(argv + 1, argv + argc,
                   [](const char* arg) { return stops_before_link(arg); })) {
    std::for_each(link_only.begin(), link_only.end(), add);
  }
  std::vector<std::string> rewritten; // "-Wl,-L,DIR", owned until execv
  rewritten.reserve(static_cast<std::size_t>(argc));
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    std::size_t used = 0;
    const std::optional<std::string_view> dir =
        library_dir(arg, argv[i + 1], used);
    if (dir && std::any_of(linker_dirs.begin(), linker_dirs.end(),
                           [&dir](const std::string& end) {
                             return passes_to_linker(*dir, end);
                           })) {
      rewritten.push_back("-Wl,-L," + std::string(*dir));
      add(rewritten.back());
      i += static_cast<int>(used) - 1;
      continue;
    }
    if (std::none_of(drop.begin(), drop.end(), [arg](const std::string& p) {
          return matches_drop(arg, p);
        })) {
      args.push_back(argv[i]);
    }
  }
  args.push_back(nullptr);

  for (const std::string_view name : leaked_variables()) {
    ::unsetenv(std::string(name).c_str());
  }
  for (const std::string& assignment : active.resolution->env) {
    const std::size_t eq = assignment.find('=');
    // A value the caller set wins: it chose another place on purpose.
    ::setenv(assignment.substr(0, eq).c_str(),
             assignment.substr(eq + 1).c_str(), 0);
  }
  for (const std::string& assignment :
       tool_entry(resolution.set, tool->first)) {
    const std::size_t eq = assignment.find('=');
    const std::string name = assignment.substr(0, eq);
    const char* chosen =
        std::getenv(per_target_variable(name, invocation->triple).c_str());
    ::setenv(name.c_str(),
             chosen != nullptr ? chosen : assignment.c_str() + eq + 1, 1);
  }
  trace(args, called_as);
  ::execv(program.c_str(), args.data());
  throw_errno(fmt::format("cannot run '{}' for '{}'", program, called_as));
}

} // namespace xtc::shim
