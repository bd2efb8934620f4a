// The shim's common call without a heap allocation, std::filesystem or an
// environment rewrite in place: no XTC_TOOLCHAIN_<TRIPLE> override, no
// xtc.toml from the working directory up, no XTC_SHIM_TRACE, and the
// target's default resolution file well formed and naming the tool. Every
// other call, and every error, goes to shim::run(), which decides the same
// things with full error messages; so this path never reports anything, it
// only declines. Every compiler call of a build pays for what happens here
// (bench/shim counts it in instructions).
#pragma once

#include <climits>

#include <cstddef>
#include <string_view>

namespace xtc::shim {

class FastPlan {
public:
  // Larger resolution files, argument lists and environments take the full
  // path; these bounds only size the fixed buffers.
  static constexpr std::size_t k_max_file = 32U << 10U;
  static constexpr std::size_t k_max_args = 8192;
  static constexpr std::size_t k_max_env = 4096;
  static constexpr std::size_t k_max_fields = 256;

  // Plans the exec for argv and envp; false when run() must decide.
  bool prepare(int argc, char** argv, char** envp) noexcept;

  const char* program() const noexcept { return m_args[0]; }
  char* const* args() const noexcept { return m_args; }
  char* const* env() const noexcept { return m_env; }

private:
  bool read_resolution(std::string_view triple) noexcept;
  bool parse_resolution(std::string_view tool) noexcept;
  bool pin_file_above_cwd() noexcept;
  bool build_env(char** envp, int depth) noexcept;

  // Left uninitialised on purpose: zeroing some 150 KiB would cost more than
  // the rest of the call; prepare() writes each before reading it.
  char m_self[PATH_MAX];
  char m_path[PATH_MAX];
  std::string_view m_home;
  char m_file[k_max_file + 1];
  std::size_t m_file_size = 0;
  // The tool's fields, the @env assignments, the tool's @drop patterns,
  // @baseline flags, @linker-dir ends and @link-only flags: pointers into
  // m_file, each field NUL-terminated there.
  char* m_fields[k_max_fields];
  std::size_t m_field_count = 0;
  char* m_assignments[k_max_fields];
  std::size_t m_assignment_count = 0;
  char* m_drops[k_max_fields];
  std::size_t m_drop_count = 0;
  char* m_baseline[k_max_fields];
  std::size_t m_baseline_count = 0;
  char* m_linker_dirs[k_max_fields];
  std::size_t m_linker_dir_count = 0;
  char* m_link_only[k_max_fields];
  std::size_t m_link_only_count = 0;
  char m_depth[48];
  char* m_args[k_max_args + 1];
  char* m_env[k_max_env + k_max_fields + 2];
};

// Execs the tool when FastPlan::prepare() succeeds (and execve does); returns
// otherwise, with nothing changed.
void try_fast_exec(int argc, char** argv, char** envp) noexcept;

} // namespace xtc::shim
