#include "fetch/part_file.hpp"

#include "base/error.hpp"
#include "platform/atomic_file.hpp"
#include "platform/fs.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <string_view>

namespace xtc::fetch {
namespace {

constexpr std::size_t k_read_chunk = 1024 * 1024;

} // namespace

PartFile::PartFile(std::filesystem::path path, std::uint64_t limit,
                   StreamObserver* observer)
    : m_path(std::move(path)), m_limit(limit), m_observer(observer) {
  // O_APPEND: every write lands at the end, whatever the read position the
  // hashing below leaves behind.
  m_fd = platform::open_file(m_path, O_RDWR | O_CREAT | O_APPEND,
                             "partial download");
  // Downloads of one file are already serialised by the artifact lock; this
  // one only tells `xtc gc` that the file is in use.
  while (::flock(m_fd.get(), LOCK_EX) != 0) {
    if (errno != EINTR) {
      throw_errno(
          fmt::format("cannot lock partial download '{}'", m_path.string()));
    }
  }
  platform::read_chunks(m_fd.get(), k_read_chunk, "partial download", m_path,
                        [this](std::string_view data) {
                          m_hasher.update(data.data(), data.size());
                          m_size += data.size();
                          if (m_observer != nullptr) {
                            m_observer->bytes(data);
                          }
                        });
  if (m_limit != 0 && m_size > m_limit) {
    reset(); // longer than the file can be: not a prefix of it
  }
}

PartFile::~PartFile() {
  // An empty .part holds nothing worth resuming (a 404, a refused URL); do
  // not leave it in the cache.
  if (m_fd.valid() && m_size == 0) {
    remove();
  }
}

void PartFile::reset() {
  if (::ftruncate(m_fd.get(), 0) != 0) {
    throw_errno(
        fmt::format("cannot truncate partial download '{}'", m_path.string()));
  }
  m_hasher = verify::Sha256();
  m_size = 0;
  if (m_observer != nullptr) {
    m_observer->restart();
  }
}

bool PartFile::write(std::string_view chunk) {
  if (m_limit != 0 && m_size + chunk.size() > m_limit) {
    return false;
  }
  platform::write_all(
      m_fd.get(), chunk,
      fmt::format("cannot write partial download '{}'", m_path.string()));
  m_hasher.update(chunk);
  m_size += chunk.size();
  if (m_observer != nullptr) {
    m_observer->bytes(chunk);
  }
  return true;
}

verify::Sha256Digest PartFile::finish() { return m_hasher.finish(); }

void PartFile::commit(const std::filesystem::path& dest) {
  if (!platform::sync_to_disk(m_fd.get())) {
    throw_errno(
        fmt::format("cannot write partial download '{}'", m_path.string()));
  }
  m_fd.close(
      fmt::format("cannot write partial download '{}'", m_path.string()));
  platform::rename_path(m_path, dest, "download");
  platform::sync_directory(dest.parent_path());
}

void PartFile::remove() noexcept {
  m_fd = platform::Fd();
  // Best effort: this runs while another error is being reported, and a
  // leftover .part is harmless: the next run verifies before using it.
  static_cast<void>(::unlink(m_path.c_str()));
}

} // namespace xtc::fetch
