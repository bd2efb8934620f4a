// ScopedTempDir: a fresh directory per test, removed when the test ends, so
// tests never share state or touch the user's files.
#pragma once

#include "base/env.hpp"

#include <filesystem>
#include <string>

namespace xtc::test {

class ScopedTempDir {
public:
  ScopedTempDir();
  ScopedTempDir(const ScopedTempDir&) = delete;
  ScopedTempDir& operator=(const ScopedTempDir&) = delete;
  ~ScopedTempDir();

  const std::filesystem::path& path() const noexcept { return m_path; }
  // Writes `content` to path()/relative, creating parent directories.
  std::filesystem::path write(const std::string& relative,
                              const std::string& content) const;
  // An Env with HOME and cwd set to this directory and no other variables.
  Env env() const;

private:
  std::filesystem::path m_path;
};

// Reads a whole file (test helper; fails the test when unreadable).
std::string slurp(const std::filesystem::path& path);

} // namespace xtc::test
