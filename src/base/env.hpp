// Env is a snapshot of the process environment, home directory and working
// directory. Code below the CLI reads the environment only through an Env, so
// tests hand in their own values instead of mutating the process.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace xtc {

class Env {
public:
  // Snapshot of the current process: environ, getcwd().
  static Env from_process();

  Env(std::map<std::string, std::string, std::less<>> vars,
      std::filesystem::path cwd);

  // Returns the value of name, or nullopt when it is unset. A variable set to
  // the empty string counts as unset: that is what users mean by `VAR=`.
  std::optional<std::string> get(std::string_view name) const;

  // $HOME; throws xtc::Error when it is unset.
  std::filesystem::path home() const;

  const std::filesystem::path& cwd() const noexcept { return m_cwd; }
  const std::map<std::string, std::string, std::less<>>& vars() const noexcept {
    return m_vars;
  }

  void set(std::string name, std::string value);

private:
  std::map<std::string, std::string, std::less<>> m_vars;
  std::filesystem::path m_cwd;
};

} // namespace xtc
