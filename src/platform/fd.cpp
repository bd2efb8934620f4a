#include "platform/fd.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <memory>

namespace xtc::platform {
namespace {

constexpr std::size_t k_whole_file_chunk = 65536;

} // namespace

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    if (m_fd >= 0) {
      ::close(m_fd);
    }
    m_fd = other.release();
  }
  return *this;
}

Fd::~Fd() {
  if (m_fd >= 0) {
    ::close(m_fd);
  }
}

int Fd::release() noexcept {
  const int fd = m_fd;
  m_fd = -1;
  return fd;
}

void Fd::close(std::string_view what) {
  const int fd = release();
  if (fd >= 0 && ::close(fd) != 0 && errno != EINTR) {
    throw_errno(what);
  }
}

bool sync_to_disk(int fd) noexcept {
#ifdef F_FULLFSYNC
  if (::fcntl(fd, F_FULLFSYNC) == 0) {
    return true;
  }
#endif
  int rc = 0;
  do {
    rc = ::fsync(fd);
  } while (rc != 0 && errno == EINTR);
  return rc == 0;
}

Fd open_file(const std::filesystem::path& path, int flags,
             std::string_view role, int mode) {
  int fd = -1;
  do {
    fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    throw_errno(fmt::format("cannot open {} '{}'", role, path.string()));
  }
  return Fd(fd);
}

void write_all(int fd, std::string_view data, std::string_view what) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw_errno(what);
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

void read_chunks(int fd, std::size_t chunk, std::string_view role,
                 const std::filesystem::path& path,
                 const std::function<void(std::string_view)>& consume) {
  // Not value-initialised: zero-filling the buffer would cost more than
  // reading a small file (this runs on every shim call).
  const std::unique_ptr<char[]> buffer(new char[chunk]);
  while (true) {
    const ssize_t n = ::read(fd, buffer.get(), chunk);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw_errno(fmt::format("cannot read {} '{}'", role, path.string()));
    }
    if (n == 0) {
      return;
    }
    consume(std::string_view(buffer.get(), static_cast<std::size_t>(n)));
  }
}

std::optional<std::string>
read_file_if_exists(const std::filesystem::path& path, std::string_view role,
                    std::size_t limit) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer before fstat can
  // refuse it. It has no effect on reading a regular file.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) {
      return std::nullopt;
    }
    throw_errno(fmt::format("cannot open {} '{}'", role, path.string()));
  }
  const Fd owner(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    throw_errno(fmt::format("cannot read {} '{}'", role, path.string()));
  }
  const auto too_large = [&] {
    return Error(fmt::format("cannot read {} '{}': it is larger than {}", role,
                             path.string(), human_bytes(limit)),
                 fmt::format("a {} is never that large: check that the path "
                             "names the file you meant",
                             role));
  };
  if (!S_ISREG(st.st_mode)) {
    throw Error(fmt::format("cannot read {} '{}': not a regular file", role,
                            path.string()),
                fmt::format("point xtc at the {} itself, not at a device, "
                            "FIFO or directory",
                            role));
  }
  if (static_cast<std::uintmax_t>(st.st_size) > limit) {
    throw too_large();
  }
  // Sized from fstat, read a chunk at a time: no zero-filled buffer, and a
  // file that grows while it is read still stops at the limit.
  std::string out;
  out.reserve(static_cast<std::size_t>(st.st_size));
  read_chunks(fd, k_whole_file_chunk, role, path, [&](std::string_view data) {
    if (data.size() > limit - out.size()) {
      throw too_large();
    }
    out.append(data);
  });
  return out;
}

std::string read_file(const std::filesystem::path& path, std::string_view role,
                      std::size_t limit) {
  if (auto text = read_file_if_exists(path, role, limit)) {
    return std::move(*text);
  }
  throw system_error(fmt::format("cannot open {} '{}'", role, path.string()),
                     ENOENT);
}

} // namespace xtc::platform
