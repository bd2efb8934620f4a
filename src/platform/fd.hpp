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

// Reads fd (the `role` file at `path`) from its current position to the end
// in chunks of at most `chunk` bytes, handing each to `consume`; retries
// EINTR. Throws xtc::Error "cannot read <role> '<path>': <strerror>" on a
// read error (formatted only then: this runs on every shim call).
void read_chunks(int fd, std::size_t chunk, std::string_view role,
                 const std::filesystem::path& path,
                 const std::function<void(std::string_view)>& consume);

// Reads a whole file. Returns nullopt when it does not exist; throws on any
// other error.
std::optional<std::string>
read_file_if_exists(const std::filesystem::path& path, std::string_view role);

// Reads a whole file; throws when it is missing or unreadable.
std::string read_file(const std::filesystem::path& path, std::string_view role);

} // namespace xtc::platform
