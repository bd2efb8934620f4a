// PartFile is a download in progress: "<dest>.part", opened for appending,
// with a SHA-256 of every byte it holds, including the bytes an earlier,
// interrupted run left (hashed again on open, so a resume needs no state
// besides the file). It becomes dest only through commit(), after the caller
// compared the digest. Internal to fetch/.
#pragma once

#include "fetch/transfer.hpp"
#include "platform/fd.hpp"
#include "verify/sha256.hpp"

#include <cstdint>
#include <filesystem>

namespace xtc::fetch {

class PartFile final : public Sink {
public:
  // Opens or creates path and hashes what it holds. limit (0: none) is the
  // expected size: a longer leftover is dropped, and write() refuses bytes
  // past it. Throws xtc::Error when the file cannot be opened or read.
  // observer (may be null) is shown the held bytes now, every byte written
  // later, and every reset(). The file is flock'ed while open, so `xtc gc`
  // can tell a live download from a leftover.
  PartFile(std::filesystem::path path, std::uint64_t limit,
           StreamObserver* observer);
  PartFile(const PartFile&) = delete;
  PartFile& operator=(const PartFile&) = delete;
  // Keeps a non-empty file for a later resume; an empty one is deleted.
  ~PartFile() override;

  std::uint64_t held() const override { return m_size; }
  // Truncates the file and restarts the hash.
  void reset() override;
  bool write(std::string_view chunk) override;

  // The digest of the held bytes; call reset() before writing again.
  verify::Sha256Digest finish();
  // fsyncs, closes and renames the file to dest, durably. Throws on failure.
  void commit(const std::filesystem::path& dest);
  // Closes and deletes the file; never throws (it runs on the error path).
  void remove() noexcept;

private:
  std::filesystem::path m_path;
  std::uint64_t m_limit;
  StreamObserver* m_observer;
  platform::Fd m_fd;
  verify::Sha256 m_hasher;
  std::uint64_t m_size = 0;
};

} // namespace xtc::fetch
