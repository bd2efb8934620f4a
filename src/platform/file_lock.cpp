#include "platform/file_lock.hpp"

#include "base/error.hpp"
#include "base/interrupt.hpp"

#include <fcntl.h>
#include <sys/file.h>

#include <cerrno>
#include <system_error>

namespace xtc::platform {
namespace {

Fd open_lock_file(const std::filesystem::path& path) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) {
    throw Error(fmt::format("cannot create lock directory '{}': {}",
                            path.parent_path().string(), ec.message()));
  }
  return open_file(path, O_RDWR | O_CREAT, "lock file");
}

int lock_operation(FileLock::Mode mode) {
  return mode == FileLock::Mode::shared ? LOCK_SH : LOCK_EX;
}

} // namespace

FileLock FileLock::acquire(const std::filesystem::path& path, Mode mode) {
  Fd fd = open_lock_file(path);
  while (::flock(fd.get(), lock_operation(mode)) != 0) {
    if (errno != EINTR) {
      throw_errno(fmt::format("cannot lock '{}'", path.string()));
    }
    throw_if_interrupted();
  }
  return FileLock(std::move(fd));
}

std::optional<FileLock> FileLock::try_acquire(const std::filesystem::path& path,
                                              Mode mode) {
  Fd fd = open_lock_file(path);
  while (::flock(fd.get(), lock_operation(mode) | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) {
      return std::nullopt;
    }
    if (errno != EINTR) {
      throw_errno(fmt::format("cannot lock '{}'", path.string()));
    }
  }
  return FileLock(std::move(fd));
}

} // namespace xtc::platform
