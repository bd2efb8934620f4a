// The shim's common call without a heap allocation, std::filesystem or an
// environment rewrite in place: no XTC_TOOLCHAIN_<TRIPLE> override, no
// xtc.toml from the working directory up, no XTC_SHIM_TRACE, and the
// target's default resolution file well formed and naming the tool. Every
// other call, and every error, goes to shim::run(), which decides the same
// things with full error messages; so this path never reports anything, it
// only declines. Every compiler call of a build pays for what happens here
// (bench/shim counts it in instructions).
#pragma once

#include <cstddef>
#include <string_view>

namespace xtc::shim {

class FastPlan {
public:
  // Larger resolution files, argument lists, environments and paths take the
  // full path; these bounds only size the fixed buffers. They are small on
  // purpose, and the members are laid out so that a common call touches
  // three or four pages of them: each page a process touches for the first
  // time costs it a page fault, and on a virtual machine one fault can cost
  // more than every instruction the shim runs (bench/shim).
  static constexpr std::size_t k_max_file = 8U << 10U;
  static constexpr std::size_t k_max_args = 1024;
  static constexpr std::size_t k_max_env = 1024;
  static constexpr std::size_t k_max_fields = 64;
  static constexpr std::size_t k_max_path = 1024;

  // Plans the exec for argv and envp; false when run() must decide.
  bool prepare(int argc, char** argv, char** envp) noexcept;

  const char* program() const noexcept { return m_vectors[0]; }
  char* const* args() const noexcept { return m_vectors; }
  char* const* env() const noexcept { return m_vectors + m_env_start; }

private:
  bool read_resolution(std::string_view triple) noexcept;
  bool parse_resolution(std::string_view tool) noexcept;
  bool pin_file_above_cwd() noexcept;
  bool build_env(char** envp, int depth) noexcept;

  // First what every call writes in full, then the arrays whose first
  // entries it uses, smallest first. The arrays are left uninitialised on
  // purpose (the object stays in .bss, and zeroing it would touch every
  // page); prepare() writes each entry before reading it.
  std::size_t m_file_size = 0;
  std::size_t m_field_count = 0;
  std::size_t m_assignment_count = 0;
  std::size_t m_drop_count = 0;
  std::size_t m_baseline_count = 0;
  std::size_t m_linker_dir_count = 0;
  std::size_t m_link_only_count = 0;
  std::size_t m_env_start = 0;
  std::string_view m_home;
  char m_depth[48];
  // The tool's fields, the @env assignments, the tool's @drop patterns,
  // @baseline flags, @linker-dir ends and @link-only flags: pointers into
  // m_file, each field NUL-terminated there.
  char* m_fields[k_max_fields];
  char* m_assignments[k_max_fields];
  char* m_drops[k_max_fields];
  char* m_baseline[k_max_fields];
  char* m_linker_dirs[k_max_fields];
  char* m_link_only[k_max_fields];
  char m_self[k_max_path];
  char m_path[k_max_path];
  // The argument vector, and the environment right after its end (from
  // m_env_start), so that the two share their pages.
  char* m_vectors[k_max_args + 1 + k_max_env + k_max_fields + 2];
  char m_file[k_max_file + 1];
};

// Execs the tool when FastPlan::prepare() succeeds (and execve does); returns
// otherwise, with nothing changed.
void try_fast_exec(int argc, char** argv, char** envp) noexcept;

} // namespace xtc::shim
