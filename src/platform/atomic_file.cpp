#include "platform/atomic_file.hpp"

#include "base/error.hpp"
#include "platform/fd.hpp"
#include "platform/fs.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

namespace xtc::platform {

AtomicFile::AtomicFile(std::filesystem::path path, std::string role, int mode)
    : m_path(std::move(path)), m_role(std::move(role)) {
  std::string pattern = unique_name_template(m_path.string() + ".tmp.");
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  const int fd = ::mkstemp(buffer.data());
  if (fd < 0) {
    throw_errno(fmt::format("cannot write {} '{}'", m_role, m_path.string()));
  }
  m_fd = Fd(fd);
  m_temp = buffer.data();
  ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  // mkstemp creates 0600; the file should get the mode the caller asked for,
  // filtered by the umask like any other file the user creates.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, static_cast<mode_t>(mode) & ~mask);
}

AtomicFile::~AtomicFile() {
  if (!m_committed && !m_temp.empty()) {
    ::unlink(m_temp.c_str());
  }
}

void AtomicFile::write(std::string_view data) {
  write_all(m_fd.get(), data,
            fmt::format("cannot write {} '{}'", m_role, m_path.string()));
}

void AtomicFile::commit() {
  const std::string what =
      fmt::format("cannot write {} '{}'", m_role, m_path.string());
  if (!sync_to_disk(m_fd.get())) {
    throw_errno(what);
  }
  m_fd.close(what);
  if (::rename(m_temp.c_str(), m_path.c_str()) != 0) {
    throw_errno(what);
  }
  m_committed = true;
  sync_directory(m_path.parent_path());
}

void write_file_atomic(const std::filesystem::path& path, std::string_view data,
                       std::string_view role, int mode) {
  AtomicFile file(path, std::string(role), mode);
  file.write(data);
  file.commit();
}

bool update_file_atomic(const std::filesystem::path& path,
                        std::string_view data, std::string_view role,
                        int mode) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
      static_cast<std::uint64_t>(st.st_size) == data.size() &&
      (st.st_mode & 07777U) == static_cast<mode_t>(mode)) {
    const std::optional<std::string> current = read_file_if_exists(path, role);
    if (current && *current == data) {
      return false;
    }
  }
  write_file_atomic(path, data, role, mode);
  return true;
}

void sync_directory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.empty() ? "." : dir.c_str(),
                        O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    sync_to_disk(fd);
    ::close(fd);
  }
}

} // namespace xtc::platform
