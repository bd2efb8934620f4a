// ArchiveReader is libarchive's read side over one archive file. A .deb (an
// ar archive) is unwrapped: its data.tar.* member is read by a second,
// nested reader fed from the first, so callers see one stream of entries
// either way. Only tar (plain, gzip, bzip2, xz, lzma, zstd), zip, and ar for
// .deb are enabled: formats such as mtree name files on the local disk and
// must never be read from a downloaded archive. The bytes come from a file
// or, while a download is still running, from a platform::ByteQueue.
#pragma once

#include "platform/byte_queue.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

struct archive;
struct archive_entry;

namespace xtc::unpack {

// A queue being read by libarchive (defined in archive_reader.cpp).
struct QueueInput;
struct QueueInputDelete {
  void operator()(QueueInput* input) const noexcept;
};

struct DataBlock {
  const void* data = nullptr; // valid until the next read
  std::size_t size = 0;
  std::uint64_t offset = 0; // where it goes in the entry (after a hole)
};

class ArchiveReader {
public:
  // Opens the archive and detects its format from its content; throws
  // xtc::Error "cannot unpack '<path>': <libarchive's message>".
  explicit ArchiveReader(std::filesystem::path path);
  // Reads the archive from `source` as its bytes arrive; `display` names it
  // in errors. Blocks until the first header is read. A cancelled source
  // fails the read with "the download was cancelled".
  ArchiveReader(platform::ByteQueue& source, std::filesystem::path display);
  ArchiveReader(ArchiveReader&&) noexcept = default;
  ArchiveReader& operator=(ArchiveReader&&) = delete;
  ArchiveReader(const ArchiveReader&) = delete;
  ArchiveReader& operator=(const ArchiveReader&) = delete;
  ~ArchiveReader() = default;

  // The next entry (owned by the reader, valid until the next call), or
  // nullptr at the end; an entry's unread data is skipped. Throws on errors.
  archive_entry* next();
  // Reads the current entry's next block; false at its end. Throws on errors.
  bool read_block(DataBlock& block);

private:
  struct Free {
    void operator()(archive* handle) const noexcept;
  };
  using Handle = std::unique_ptr<archive, Free>;

  void read_first_header();
  Handle new_handle(bool outer) const;
  void open_deb_member(archive_entry* entry);
  archive* active() const noexcept;
  // Turns a libarchive status into an error (a warning only goes to
  // --verbose output).
  void check(archive* handle, int status) const;

  std::filesystem::path m_path;
  std::unique_ptr<QueueInput, QueueInputDelete>
      m_input;                        // when reading from a queue
  Handle m_outer;                     // the file itself
  Handle m_inner;                     // a .deb's data.tar; reads from m_outer
  archive_entry* m_pending = nullptr; // first entry, read during detection
  bool m_at_end = false;
};

// Decompresses `source` (gzip, bzip2, xz, lzma, zstd, or nothing to undo,
// detected from its bytes) into `sink`, so that an ArchiveReader on another
// thread reads plain archive bytes: decoding and unpacking then run on two
// cores. Returns at the end of the data (without closing sink) or as soon
// as sink is abandoned. Throws xtc::Error "cannot unpack '<display>': …".
void decompress_stream(platform::ByteQueue& source, platform::ByteQueue& sink,
                       const std::filesystem::path& display);

} // namespace xtc::unpack
