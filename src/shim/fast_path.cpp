#include "shim/fast_path.hpp"

#include "shim/pin_file.hpp"
#include "shim/resolution.hpp"
#include "shim/runtime.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__APPLE__)
#include <climits>

#include <mach-o/dyld.h>

#include <cstdint>
#endif

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace xtc::shim {
namespace {

constexpr std::string_view k_depth_name = "XTC_SHIM_DEPTH";

// The value of NAME in a "NAME=VALUE" entry, or nullptr.
const char* value_of(const char* entry, std::string_view name) noexcept {
  return std::strncmp(entry, name.data(), name.size()) == 0 &&
                 entry[name.size()] == '='
             ? entry + name.size() + 1
             : nullptr;
}

std::string_view name_of(const char* entry) noexcept {
  const char* eq = std::strchr(entry, '=');
  return eq == nullptr
             ? std::string_view(entry)
             : std::string_view(entry, static_cast<std::size_t>(eq - entry));
}

// Appends text at buffer[length]; false when it does not fit with its NUL.
bool append(char* buffer, std::size_t& length, std::size_t capacity,
            std::string_view text) noexcept {
  if (length + text.size() + 1 > capacity) {
    return false;
  }
  std::memcpy(buffer + length, text.data(), text.size());
  length += text.size();
  buffer[length] = '\0';
  return true;
}

// The running executable's resolved path, as platform::current_executable
// finds it (the shim's home is two levels above it); false when it does not
// fit.
bool find_self(char (&self)[FastPlan::k_max_path]) noexcept {
#if defined(__linux__)
  const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self);
  if (n <= 0 || static_cast<std::size_t>(n) >= sizeof self) {
    return false;
  }
  self[n] = '\0';
  return true;
#elif defined(__APPLE__)
  char raw[PATH_MAX];
  char real[PATH_MAX];
  auto size = static_cast<std::uint32_t>(sizeof raw);
  if (_NSGetExecutablePath(raw, &size) != 0 ||
      ::realpath(raw, real) == nullptr) {
    return false;
  }
  const std::size_t n = std::strlen(real);
  if (n >= sizeof self) {
    return false;
  }
  std::memcpy(self, real, n + 1);
  return true;
#else
  (void)self;
  return false;
#endif
}

std::string_view parent_of(std::string_view path) noexcept {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos || slash == 0
             ? path.substr(0, slash == 0 ? 1 : 0)
             : path.substr(0, slash);
}

} // namespace

bool FastPlan::prepare(int argc, char** argv, char** envp) noexcept {
  if (argc < 1 || argv[0] == nullptr || envp == nullptr) {
    return false;
  }
  std::string_view called_as = argv[0];
  called_as = called_as.substr(called_as.rfind('/') + 1);
  const std::optional<InvocationView> invocation = match_invocation(called_as);
  if (!invocation) {
    return false;
  }

  // XTC_TOOLCHAIN_<TRIPLE> as toolchain_variable() spells it.
  char variable[256];
  std::size_t variable_length = 0;
  if (!append(variable, variable_length, sizeof variable,
              k_toolchain_variable_prefix) ||
      variable_length + invocation->triple.size() + 1 > sizeof variable) {
    return false;
  }
  for (const char c : invocation->triple) {
    variable[variable_length++] = toolchain_variable_char(c);
  }
  const std::string_view toolchain_variable(variable, variable_length);

  // One pass over the environment for everything the call depends on.
  // getenv() semantics: the first entry of a name counts.
  const char* home = nullptr;
  const char* depth_text = nullptr;
  for (char** entry = envp; *entry != nullptr; ++entry) {
    const char* text = *entry;
    if (text[0] != 'X' || text[1] != 'T' || text[2] != 'C' || text[3] != '_') {
      continue;
    }
    const char* value = nullptr;
    if ((value = value_of(text, "XTC_HOME")) != nullptr) {
      home = home == nullptr ? value : home;
    } else if ((value = value_of(text, k_depth_name)) != nullptr) {
      depth_text = depth_text == nullptr ? value : depth_text;
    } else if (((value = value_of(text, "XTC_SHIM_TRACE")) != nullptr ||
                (value = value_of(text, toolchain_variable)) != nullptr) &&
               *value != '\0') {
      return false;
    }
  }
  const int depth = depth_text != nullptr ? std::atoi(depth_text) : 0;
  if (depth < 0 || depth + 1 >= k_max_shim_depth) {
    return false;
  }

  if (!find_self(m_self)) {
    return false;
  }
  m_home = home != nullptr && *home != '\0' ? std::string_view(home)
                                            : parent_of(parent_of(m_self));
  if (pin_file_above_cwd() || !read_resolution(invocation->triple) ||
      !parse_resolution(invocation->tool)) {
    return false;
  }

  // A resolution that points back at a shim: run() says so.
  struct stat program_info {};
  struct stat self_info {};
  if (::stat(m_fields[0], &program_info) == 0 &&
      ::stat(m_self, &self_info) == 0 &&
      program_info.st_dev == self_info.st_dev &&
      program_info.st_ino == self_info.st_ino) {
    return false;
  }

  if (m_field_count + m_baseline_count + m_link_only_count +
          static_cast<std::size_t>(argc) >
      k_max_args) {
    return false;
  }
  bool chosen_cpu = false;
  bool links = true;
  for (int i = 1; i < argc && (m_baseline_count > 0 || m_linker_dir_count > 0 ||
                               m_link_only_count > 0);
       ++i) {
    chosen_cpu = chosen_cpu || chooses_cpu(argv[i]);
    links = links && !stops_before_link(argv[i]);
    // A -L the full path rewrites for the linker: run() does it.
    std::size_t used = 0;
    const std::optional<std::string_view> dir =
        m_linker_dir_count == 0 ? std::nullopt
                                : library_dir(argv[i], argv[i + 1], used);
    for (std::size_t d = 0; dir && d < m_linker_dir_count; ++d) {
      if (passes_to_linker(*dir, m_linker_dirs[d])) {
        return false;
      }
    }
  }
  std::size_t count = 0;
  for (std::size_t i = 0; i < m_field_count; ++i) {
    m_vectors[count++] = m_fields[i];
  }
  for (std::size_t i = 0; i < m_baseline_count && !chosen_cpu; ++i) {
    m_vectors[count++] = m_baseline[i];
  }
  for (std::size_t i = 0; i < m_link_only_count && links; ++i) {
    m_vectors[count++] = m_link_only[i];
  }
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    bool dropped = false;
    for (std::size_t d = 0; d < m_drop_count && !dropped; ++d) {
      dropped = matches_drop(arg, m_drops[d]);
    }
    if (!dropped) {
      m_vectors[count++] = argv[i];
    }
  }
  m_vectors[count] = nullptr;
  m_env_start = count + 1;
  return build_env(envp, depth);
}

bool FastPlan::pin_file_above_cwd() noexcept {
  if (::getcwd(m_path, sizeof m_path) == nullptr) {
    return true; // run() reports it
  }
  std::size_t length = std::strlen(m_path);
  if (length == 1) {
    length = 0; // "/": the root's pin file is "/xtc.toml"
  }
  for (;;) {
    std::size_t end = length;
    if (!append(m_path, end, sizeof m_path, "/") ||
        !append(m_path, end, sizeof m_path, k_pin_file_name)) {
      return true;
    }
    struct stat info {};
    if (::stat(m_path, &info) == 0 && S_ISREG(info.st_mode)) {
      return true;
    }
    if (length == 0) {
      return false;
    }
    m_path[length] = '\0';
    const char* slash = std::strrchr(m_path, '/');
    if (slash == nullptr) {
      return true; // not absolute: let run() decide
    }
    length = static_cast<std::size_t>(slash - m_path);
  }
}

bool FastPlan::read_resolution(std::string_view triple) noexcept {
  std::size_t length = 0;
  if (!append(m_path, length, sizeof m_path, m_home) ||
      !append(m_path, length, sizeof m_path, "/targets/") ||
      !append(m_path, length, sizeof m_path, triple) ||
      !append(m_path, length, sizeof m_path, ".shim")) {
    return false;
  }
  const int fd = ::open(m_path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return false;
  }
  struct stat info {};
  bool ok = ::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) &&
            static_cast<std::size_t>(info.st_size) <= k_max_file;
  const std::size_t size = ok ? static_cast<std::size_t>(info.st_size) : 0;
  m_file_size = 0;
  while (ok && m_file_size < size) {
    const ssize_t n = ::read(fd, m_file + m_file_size, size - m_file_size);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    ok = n > 0;
    m_file_size += ok ? static_cast<std::size_t>(n) : 0;
  }
  ::close(fd);
  m_file[m_file_size] = '\0';
  return ok;
}

// The same rules as parse_resolution() in resolution.cpp, applied in place:
// tabs and newlines become NULs, and only what the called tool needs is kept.
// Any malformed line declines (run() then treats the target as not
// installed, as its parser does).
bool FastPlan::parse_resolution(std::string_view tool) noexcept {
  const std::string_view text(m_file, m_file_size);
  const std::size_t header_end = text.find('\n');
  if (text.substr(0, header_end) != k_resolution_header) {
    return false;
  }
  m_field_count = 0;
  m_assignment_count = 0;
  m_drop_count = 0;
  m_baseline_count = 0;
  m_linker_dir_count = 0;
  m_link_only_count = 0;
  // The per-tool directives: where the called tool's entry of each goes.
  const struct {
    std::string_view key;
    char** into;
    std::size_t* count;
  } directives[] = {{k_drop_key, m_drops, &m_drop_count},
                    {k_baseline_key, m_baseline, &m_baseline_count},
                    {k_linker_dir_key, m_linker_dirs, &m_linker_dir_count},
                    {k_link_only_key, m_link_only, &m_link_only_count}};
  std::size_t pos =
      header_end == std::string_view::npos ? text.size() : header_end + 1;
  char* fields[k_max_fields];
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    end = end == std::string_view::npos ? text.size() : end;
    if (end == pos) {
      ++pos; // an empty line
      continue;
    }
    std::size_t count = 0;
    std::size_t start = pos;
    for (std::size_t i = pos; i <= end; ++i) {
      if (i == end || m_file[i] == '\t') {
        if (count == k_max_fields) {
          return false;
        }
        fields[count++] = m_file + start;
        m_file[i] = '\0';
        start = i + 1;
      }
    }
    pos = end + 1;
    if (count < 2 || *fields[1] == '\0') {
      return false;
    }
    const std::string_view key = fields[0];
    if (key == k_env_key) {
      if (count != 2 || !valid_assignment(fields[1]) ||
          m_assignment_count == k_max_fields) {
        return false;
      }
      m_assignments[m_assignment_count++] = fields[1];
    } else if (key == k_set_key) {
      // Forced variables, and the per-target ones that override them:
      // run() sets those.
      if (std::string_view(fields[1]) == tool) {
        return false;
      }
    } else if (key.front() == '@') {
      // Another '@' key names no tool: the line is ignored, as run() does.
      const auto* directive =
          std::find_if(std::begin(directives), std::end(directives),
                       [key](const auto& d) { return d.key == key; });
      if (directive != std::end(directives) &&
          std::string_view(fields[1]) == tool) {
        *directive->count = count - 2;
        std::copy(fields + 2, fields + count, directive->into);
      }
    } else if (key == tool) {
      m_field_count = count - 1;
      std::copy(fields + 1, fields + count, m_fields);
    }
  }
  // A host program found on PATH (no '/'): run() looks it up.
  return m_field_count > 0 && *m_fields[0] == '/';
}

// The caller's environment minus the leaked variables, XTC_SHIM_DEPTH one
// higher, and each @env assignment whose variable the caller has not set.
bool FastPlan::build_env(char** envp, int depth) noexcept {
  char** const env = m_vectors + m_env_start;
  std::size_t count = 0;
  for (char** entry = envp; *entry != nullptr; ++entry) {
    const std::string_view name = name_of(*entry);
    bool removed = name == k_depth_name;
    for (const std::string_view leaked : k_leaked_variables) {
      removed = removed || name == leaked;
    }
    if (removed) {
      continue;
    }
    if (count == k_max_env) {
      return false;
    }
    env[count++] = *entry;
  }
  std::size_t length = 0;
  append(m_depth, length, sizeof m_depth, k_depth_name);
  append(m_depth, length, sizeof m_depth, "=");
  char digits[16];
  std::size_t n = 0;
  for (unsigned value = static_cast<unsigned>(depth) + 1; value != 0 || n == 0;
       value /= 10) {
    digits[n++] = static_cast<char>('0' + value % 10);
  }
  while (n > 0) {
    m_depth[length++] = digits[--n];
  }
  m_depth[length] = '\0';
  env[count++] = m_depth;
  for (std::size_t i = 0; i < m_assignment_count; ++i) {
    const std::string_view name = name_of(m_assignments[i]);
    bool present = false;
    for (std::size_t j = 0; j < count && !present; ++j) {
      present = name_of(env[j]) == name;
    }
    if (!present) {
      env[count++] = m_assignments[i];
    }
  }
  env[count] = nullptr;
  return true;
}

void try_fast_exec(int argc, char** argv, char** envp) noexcept {
  static FastPlan plan; // 30 KiB: static storage, not the stack
  if (plan.prepare(argc, argv, envp)) {
    ::execve(plan.program(), plan.args(), plan.env());
  }
}

} // namespace xtc::shim
