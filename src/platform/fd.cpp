#include "platform/fd.hpp"

#include "base/error.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

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
  std::vector<char> buffer(chunk);
  while (true) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw_errno(fmt::format("cannot read {} '{}'", role, path.string()));
    }
    if (n == 0) {
      return;
    }
    consume(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
  }
}

std::optional<std::string>
read_file_if_exists(const std::filesystem::path& path, std::string_view role) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) {
      return std::nullopt;
    }
    throw_errno(fmt::format("cannot open {} '{}'", role, path.string()));
  }
  const Fd owner(fd);
  std::string out;
  read_chunks(fd, k_whole_file_chunk, role, path,
              [&out](std::string_view data) { out.append(data); });
  return out;
}

std::string read_file(const std::filesystem::path& path,
                      std::string_view role) {
  if (auto text = read_file_if_exists(path, role)) {
    return std::move(*text);
  }
  throw system_error(fmt::format("cannot open {} '{}'", role, path.string()),
                     ENOENT);
}

} // namespace xtc::platform
