// FileLock holds a kernel advisory lock (flock) on a lock file. The kernel
// drops it when the process dies, so `kill -9` never leaves a stale lock; the
// lock file's existence means nothing on its own.
#pragma once

#include "platform/fd.hpp"

#include <filesystem>
#include <optional>

namespace xtc::platform {

class FileLock {
public:
  enum class Mode { shared, exclusive };

  // Blocks until the lock is held. Creates the lock file (and its directory)
  // if needed. Throws xtc::Error on I/O errors or interruption.
  static FileLock acquire(const std::filesystem::path& path, Mode mode);
  // Returns nullopt when another process holds a conflicting lock.
  static std::optional<FileLock> try_acquire(const std::filesystem::path& path,
                                             Mode mode);

  FileLock(FileLock&&) noexcept = default;
  FileLock& operator=(FileLock&&) noexcept = default;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock() = default; // closing the fd releases the lock

private:
  explicit FileLock(Fd fd) : m_fd(std::move(fd)) {}
  Fd m_fd;
};

} // namespace xtc::platform
