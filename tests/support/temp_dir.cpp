#include "support/temp_dir.hpp"

#include "platform/fd.hpp"

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <system_error>

namespace xtc::test {

ScopedTempDir::ScopedTempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern =
      std::string(base != nullptr && *base != '\0' ? base : "/tmp") +
      "/xtc-test-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed");
  }
  m_path = std::filesystem::canonical(pattern);
}

ScopedTempDir::~ScopedTempDir() {
  std::error_code ec;
  // Read-only trees (committed installs) must be made writable to delete.
  for (auto it = std::filesystem::recursive_directory_iterator(m_path, ec);
       !ec && it != std::filesystem::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_directory(ec) && !it->is_symlink(ec)) {
      std::filesystem::permissions(it->path(),
                                   std::filesystem::perms::owner_all,
                                   std::filesystem::perm_options::add, ec);
    }
  }
  std::filesystem::remove_all(m_path, ec);
}

std::filesystem::path ScopedTempDir::write(const std::string& relative,
                                           const std::string& content) const {
  const std::filesystem::path path = m_path / relative;
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << content;
  return path;
}

Env ScopedTempDir::env() const {
  return Env({{"HOME", m_path.string()}}, m_path);
}

std::string slurp(const std::filesystem::path& path) {
  return platform::read_file(path, "test file");
}

} // namespace xtc::test
