// Fd owns one POSIX file descriptor: move-only, closed in the destructor.
// Also the few whole-file helpers every module needs, with errors that name
// the file's role.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace xtc::platform {

class Fd {
public:
  Fd() = default;
  explicit Fd(int fd) noexcept : m_fd(fd) {}
  Fd(Fd&& other) noexcept : m_fd(other.release()) {}
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd();

  int get() const noexcept { return m_fd; }
  bool valid() const noexcept { return m_fd >= 0; }
  int release() noexcept;
  // Closes now, reporting the error close() returns (NFS, full disks report
  // late write errors there). Throws xtc::Error naming `what`.
  void close(std::string_view what);

private:
  int m_fd = -1;
};

// Opens path with open(2) flags (O_CLOEXEC is added); throws xtc::Error
// "cannot open <role> '<path>': <strerror>".
Fd open_file(const std::filesystem::path& path, int flags,
             std::string_view role, int mode = 0644);

// Writes all of data, retrying short writes and EINTR; throws on error.
void write_all(int fd, std::string_view data, std::string_view what);

// Makes what was written to fd reach stable storage, as a commit point
// needs. On macOS fsync() only hands data to the drive, whose cache a power
// cut can still lose; fcntl(F_FULLFSYNC) flushes that cache too. File systems
// that refuse F_FULLFSYNC (network shares, FAT) get fsync(). Returns false
// with errno set on failure.
bool sync_to_disk(int fd) noexcept;

// Reads fd (the `role` file at `path`) from its current position to the end
// in chunks of at most `chunk` bytes, handing each to `consume`; retries
// EINTR. Throws xtc::Error "cannot read <role> '<path>': <strerror>" on a
// read error (formatted only then: this runs on every shim call).
void read_chunks(int fd, std::size_t chunk, std::string_view role,
                 const std::filesystem::path& path,
                 const std::function<void(std::string_view)>& consume);

// The most a whole-file read takes by default: far above any manifest,
// config, record or key xtc reads, far below what would exhaust memory.
inline constexpr std::size_t k_max_read_size = 16U << 20U;

// Reads a whole regular file of at most `limit` bytes. Returns nullopt when
// it does not exist. Throws xtc::Error naming the role and path for anything
// else: a read error, a FIFO, device or directory ("is not a regular file";
// a symlink is followed, so a link to /dev/zero counts as a device), or a
// file larger than `limit`. Never blocks on a FIFO.
std::optional<std::string>
read_file_if_exists(const std::filesystem::path& path, std::string_view role,
                    std::size_t limit = k_max_read_size);

// Reads a whole regular file; throws as above, and when it is missing.
std::string read_file(const std::filesystem::path& path, std::string_view role,
                      std::size_t limit = k_max_read_size);

} // namespace xtc::platform
