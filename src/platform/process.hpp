// Running other programs: PATH lookup, run-and-capture for short helper
// commands (rustup, a doctor's test compile), and exec-in-place for shims.
// No shell is ever involved: arguments pass through byte for byte.
#pragma once

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace xtc::platform {

// Searches `path_var` (a PATH value) for an executable regular file `name`.
// A name containing '/' is returned as-is when it is executable.
std::optional<std::filesystem::path> find_program(const std::string& name,
                                                  const std::string& path_var);

struct RunResult {
  int exit_code = -1; // exit status, or 128 + signal number
  std::string output; // stdout and stderr, interleaved
};

// Runs argv[0] (searched in PATH) with the process environment, less the
// variables named in `removed`, plus `extra` ("NAME=value" strings; a
// variable already set keeps its value), stdin from /dev/null, and waits.
// Throws xtc::Error only when the program cannot be started.
RunResult run_capture(const std::vector<std::string>& argv,
                      const std::vector<std::string>& extra_env = {},
                      std::span<const std::string_view> removed = {});

// Runs argv[0] (searched in PATH) with the process environment, `input` on
// its stdin, and waits. RunResult::output holds its stdout only; its stderr
// is discarded (a credential helper's stdout is the answer). Throws
// xtc::Error only when the program cannot be started.
RunResult run_with_input(const std::vector<std::string>& argv,
                         std::string_view input);

// Absolute path of the running executable: /proc/self/exe on Linux,
// _NSGetExecutablePath on macOS, else argv0 resolved against PATH.
std::filesystem::path current_executable(const char* argv0);

} // namespace xtc::platform
