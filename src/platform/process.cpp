#include "platform/process.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"
#include "platform/fd.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__APPLE__)
#include <mach-o/dyld.h>
#endif

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>

extern char** environ; // NOLINT: POSIX declares it nowhere else

namespace xtc::platform {
namespace {

bool is_executable_file(const std::filesystem::path& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
         ::access(path.c_str(), X_OK) == 0;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (std::string& s : strings) {
    out.push_back(s.data());
  }
  out.push_back(nullptr);
  return out;
}

// posix_spawn file actions, owned.
class SpawnActions {
public:
  SpawnActions() { posix_spawn_file_actions_init(&m_actions); }
  SpawnActions(const SpawnActions&) = delete;
  SpawnActions& operator=(const SpawnActions&) = delete;
  ~SpawnActions() { posix_spawn_file_actions_destroy(&m_actions); }
  posix_spawn_file_actions_t* get() { return &m_actions; }

private:
  posix_spawn_file_actions_t m_actions{};
};

} // namespace

std::optional<std::filesystem::path> find_program(const std::string& name,
                                                  const std::string& path_var) {
  if (name.find('/') != std::string::npos) {
    if (is_executable_file(name)) {
      return std::filesystem::path(name);
    }
    return std::nullopt;
  }
  for (const std::string& dir : split(path_var, ':')) {
    const std::filesystem::path candidate =
        std::filesystem::path(dir.empty() ? "." : dir) / name;
    if (is_executable_file(candidate)) {
      return candidate;
    }
  }
  return std::nullopt;
}

namespace {

constexpr std::size_t k_max_input = 4096;

// Spawns argv with the process environment (less `removed`, plus `extra`),
// feeds `input` to its stdin (/dev/null when nullopt), collects its stdout
// (and stderr too when `with_stderr`; else stderr goes to /dev/null), waits.
RunResult spawn_and_collect(const std::vector<std::string>& argv,
                            const std::vector<std::string>& extra_env,
                            std::span<const std::string_view> removed,
                            const std::optional<std::string_view>& input,
                            bool with_stderr) {
  std::array<int, 2> pipe_fds{};
  if (::pipe(pipe_fds.data()) != 0) {
    throw_errno("cannot create a pipe");
  }
  Fd read_end(pipe_fds[0]);
  Fd write_end(pipe_fds[1]);
  ::fcntl(read_end.get(), F_SETFD, FD_CLOEXEC);
  std::optional<Fd> stdin_read;
  if (input) {
    std::array<int, 2> in_fds{};
    if (::pipe(in_fds.data()) != 0) {
      throw_errno("cannot create a pipe");
    }
    stdin_read.emplace(in_fds[0]);
    Fd stdin_write(in_fds[1]);
    // Written whole before the child starts, while this process still holds
    // the read end: no SIGPIPE if the child never reads. The input is small
    // (a host name), far below any pipe's buffer.
    if (input->size() > k_max_input) {
      throw Error(fmt::format("input for '{}' is too large", argv.at(0)));
    }
    std::string_view rest = *input;
    while (!rest.empty()) {
      const ssize_t n = ::write(stdin_write.get(), rest.data(), rest.size());
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n <= 0) {
        throw_errno(fmt::format("cannot write the input of '{}'", argv.at(0)));
      }
      rest.remove_prefix(static_cast<std::size_t>(n));
    }
    stdin_write.close("pipe");
  }

  SpawnActions actions;
  if (stdin_read) {
    posix_spawn_file_actions_adddup2(actions.get(), stdin_read->get(),
                                     STDIN_FILENO);
  } else {
    posix_spawn_file_actions_addopen(actions.get(), STDIN_FILENO, "/dev/null",
                                     O_RDONLY, 0);
  }
  posix_spawn_file_actions_adddup2(actions.get(), write_end.get(),
                                   STDOUT_FILENO);
  if (with_stderr) {
    posix_spawn_file_actions_adddup2(actions.get(), write_end.get(),
                                     STDERR_FILENO);
  } else {
    posix_spawn_file_actions_addopen(actions.get(), STDERR_FILENO, "/dev/null",
                                     O_WRONLY, 0);
  }

  std::vector<std::string> args = argv;
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string_view entry(*e);
    const std::string_view name = entry.substr(0, entry.find('='));
    if (std::find(removed.begin(), removed.end(), name) == removed.end()) {
      env.emplace_back(entry);
    }
  }
  env.insert(env.end(), extra_env.begin(), extra_env.end());
  std::vector<char*> c_args = c_strings(args);
  std::vector<char*> c_env = c_strings(env);
  pid_t pid = 0;
  const int rc = ::posix_spawnp(&pid, args.at(0).c_str(), actions.get(),
                                nullptr, c_args.data(), c_env.data());
  if (rc != 0) {
    throw system_error(fmt::format("cannot run '{}'", args[0]), rc);
  }
  write_end.close("pipe");
  if (stdin_read) {
    stdin_read->close("pipe");
  }
  RunResult result;
  std::array<char, 4096> buffer{};
  while (true) {
    const ssize_t n = ::read(read_end.get(), buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      break;
    }
    result.output.append(buffer.data(), static_cast<std::size_t>(n));
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      throw_errno(fmt::format("cannot wait for '{}'", args[0]));
    }
  }
  result.exit_code =
      WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

} // namespace

RunResult run_capture(const std::vector<std::string>& argv,
                      const std::vector<std::string>& extra_env,
                      std::span<const std::string_view> removed) {
  return spawn_and_collect(argv, extra_env, removed, std::nullopt, true);
}

RunResult run_with_input(const std::vector<std::string>& argv,
                         std::string_view input) {
  return spawn_and_collect(argv, {}, {}, input, false);
}

std::filesystem::path current_executable(const char* argv0) {
  std::error_code ec;
#if defined(__linux__)
  std::filesystem::path self =
      std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    return self;
  }
#elif defined(__APPLE__)
  std::array<char, 4096> buffer{};
  auto size = static_cast<uint32_t>(buffer.size());
  if (_NSGetExecutablePath(buffer.data(), &size) == 0) {
    std::filesystem::path self = std::filesystem::canonical(buffer.data(), ec);
    if (!ec) {
      return self;
    }
  }
#endif
  // Portable fallback: argv[0] as typed, searched in PATH when it has no '/'.
  const char* path_var = std::getenv("PATH");
  if (auto found = find_program(argv0, path_var != nullptr ? path_var : "")) {
    std::filesystem::path absolute = std::filesystem::absolute(*found, ec);
    return ec ? *found : absolute;
  }
  throw Error(
      fmt::format("cannot find the path of the running program '{}'", argv0));
}

} // namespace xtc::platform
