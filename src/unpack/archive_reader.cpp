#include "unpack/archive_reader.hpp"

#include "base/diagnostics.hpp"
#include "base/error.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>

#include <cerrno>
#include <string_view>
#include <utility>

namespace xtc::unpack {

struct QueueInput {
  platform::ByteQueue* queue;
  std::vector<char> block;
};

void QueueInputDelete::operator()(QueueInput* input) const noexcept {
  delete input;
}

namespace {

// Large reads: fewer syscalls, and the decompressors work in bigger strides.
constexpr std::size_t k_read_block = 1 << 20;

const char* message_of(archive* handle) {
  const char* text = archive_error_string(handle);
  return text != nullptr ? text : "unknown libarchive error";
}

// The nested reader's input: the outer archive's current member, block by
// block, without copying (libarchive's buffer stays valid until the next
// call). `client` is the outer archive*, which outlives the inner reader.
la_ssize_t read_member(archive* inner, void* client, const void** buffer) {
  auto* outer = static_cast<archive*>(client);
  while (true) {
    std::size_t size = 0;
    la_int64_t offset = 0;
    const int status = archive_read_data_block(outer, buffer, &size, &offset);
    if (status == ARCHIVE_EOF) {
      return 0;
    }
    if (status != ARCHIVE_OK && status != ARCHIVE_WARN) {
      archive_set_error(inner, archive_errno(outer), "%s", message_of(outer));
      return -1;
    }
    // A zero-length block is not the end (0 would mean EOF to the reader).
    if (size > 0) {
      return static_cast<la_ssize_t>(size);
    }
  }
}

// The queue's next block; libarchive keeps reading it until the next call.
la_ssize_t read_queue(archive* handle, void* client, const void** buffer) {
  auto* input = static_cast<QueueInput*>(client);
  switch (input->queue->pop(input->block)) {
  case platform::ByteQueue::Pop::data:
    *buffer = input->block.data();
    return static_cast<la_ssize_t>(input->block.size());
  case platform::ByteQueue::Pop::end:
    return 0;
  case platform::ByteQueue::Pop::cancelled:
    break;
  }
  archive_set_error(handle, ECANCELED, "the download was cancelled");
  return -1;
}

bool is_ar(archive* handle) {
  return (archive_format(handle) & ARCHIVE_FORMAT_BASE_MASK) ==
         ARCHIVE_FORMAT_AR;
}

} // namespace

void ArchiveReader::Free::operator()(archive* handle) const noexcept {
  archive_read_free(handle);
}

ArchiveReader::ArchiveReader(std::filesystem::path path)
    : m_path(std::move(path)), m_outer(new_handle(true)) {
  check(m_outer.get(), archive_read_open_filename(m_outer.get(), m_path.c_str(),
                                                  k_read_block));
  read_first_header();
}

ArchiveReader::ArchiveReader(platform::ByteQueue& source,
                             std::filesystem::path display)
    : m_path(std::move(display)), m_input(new QueueInput{&source, {}}),
      m_outer(new_handle(true)) {
  check(m_outer.get(), archive_read_open(m_outer.get(), m_input.get(), nullptr,
                                         read_queue, nullptr));
  read_first_header();
}

void ArchiveReader::read_first_header() {
  // The format is known only once the first header is read; a .deb is an ar
  // archive whose members are read until its data.tar.* is found.
  archive_entry* entry = nullptr;
  const int status = archive_read_next_header(m_outer.get(), &entry);
  if (status == ARCHIVE_EOF) {
    m_at_end = true;
    return;
  }
  check(m_outer.get(), status);
  if (is_ar(m_outer.get())) {
    open_deb_member(entry);
  } else {
    m_pending = entry;
  }
}

archive_entry* ArchiveReader::next() {
  if (m_pending != nullptr) {
    return std::exchange(m_pending, nullptr);
  }
  if (m_at_end) {
    return nullptr;
  }
  archive_entry* entry = nullptr;
  const int status = archive_read_next_header(active(), &entry);
  if (status == ARCHIVE_EOF) {
    m_at_end = true;
    return nullptr;
  }
  check(active(), status);
  return entry;
}

bool ArchiveReader::read_block(DataBlock& block) {
  la_int64_t offset = 0;
  const int status =
      archive_read_data_block(active(), &block.data, &block.size, &offset);
  if (status == ARCHIVE_EOF) {
    return false;
  }
  check(active(), status);
  if (offset < 0) {
    throw Error(
        fmt::format("cannot unpack '{}': an entry's data has a negative "
                    "offset",
                    m_path.string()),
        "the archive may be corrupt; it was not installed");
  }
  block.offset = static_cast<std::uint64_t>(offset);
  return true;
}

ArchiveReader::Handle ArchiveReader::new_handle(bool outer) const {
  Handle handle(archive_read_new());
  if (!handle) {
    throw Error(
        fmt::format("cannot unpack '{}': out of memory", m_path.string()));
  }
  archive* a = handle.get();
  // Each filter is enabled by name rather than with support_filter_all, which
  // also enables filters that run external programs (lrzip, lzop, grzip).
  // libarchive 3.6 decodes xz on one thread; newer releases pick up threads
  // by themselves, so no option is set here.
  check(a, archive_read_support_filter_gzip(a));
  check(a, archive_read_support_filter_bzip2(a));
  check(a, archive_read_support_filter_xz(a));
  check(a, archive_read_support_filter_lzma(a));
  check(a, archive_read_support_filter_zstd(a));
  check(a, archive_read_support_format_tar(a));
  if (outer) {
    check(a, archive_read_support_format_zip(a));
    check(a, archive_read_support_format_ar(a));
  }
  return handle;
}

void ArchiveReader::open_deb_member(archive_entry* entry) {
  while (true) {
    const char* name = archive_entry_pathname(entry);
    if (name != nullptr && std::string_view(name).starts_with("data.tar")) {
      break;
    }
    const int status = archive_read_next_header(m_outer.get(), &entry);
    if (status == ARCHIVE_EOF) {
      throw Error(fmt::format("cannot unpack '{}': it is an ar archive without "
                              "a data.tar member, not a Debian package",
                              m_path.string()),
                  "the archive may be corrupt; it was not installed");
    }
    check(m_outer.get(), status);
  }
  m_inner = new_handle(false);
  check(m_inner.get(), archive_read_open(m_inner.get(), m_outer.get(), nullptr,
                                         read_member, nullptr));
}

archive* ArchiveReader::active() const noexcept {
  return m_inner ? m_inner.get() : m_outer.get();
}

void ArchiveReader::check(archive* handle, int status) const {
  if (status == ARCHIVE_OK) {
    return;
  }
  if (status == ARCHIVE_WARN) {
    diag::verbose(
        fmt::format("unpacking '{}': {}", m_path.string(), message_of(handle)));
    return;
  }
  // ARCHIVE_RETRY included: a header that needs a retry is a damaged one,
  // and a damaged download is not worth salvaging.
  throw Error(fmt::format("cannot unpack '{}': {}", m_path.string(),
                          message_of(handle)),
              "the archive may be corrupt or truncated; it was not installed");
}

void decompress_stream(platform::ByteQueue& source, platform::ByteQueue& sink,
                       const std::filesystem::path& display) {
  struct Free {
    void operator()(archive* handle) const noexcept {
      archive_read_free(handle);
    }
  };
  const std::unique_ptr<archive, Free> handle(archive_read_new());
  archive* a = handle.get();
  if (a == nullptr) {
    throw Error(
        fmt::format("cannot unpack '{}': out of memory", display.string()));
  }
  const auto check = [&](int status) {
    if (status != ARCHIVE_OK && status != ARCHIVE_WARN) {
      throw Error(fmt::format("cannot unpack '{}': {}", display.string(),
                              message_of(a)),
                  "the archive may be corrupt or truncated; it was not "
                  "installed");
    }
  };
  // The same filters as ArchiveReader, by name; "raw" only passes the
  // decoded bytes on, to a reader that knows nothing but archive formats.
  check(archive_read_support_filter_gzip(a));
  check(archive_read_support_filter_bzip2(a));
  check(archive_read_support_filter_xz(a));
  check(archive_read_support_filter_lzma(a));
  check(archive_read_support_filter_zstd(a));
  check(archive_read_support_format_raw(a));
  QueueInput input{&source, {}};
  check(archive_read_open(a, &input, nullptr, read_queue, nullptr));
  archive_entry* entry = nullptr;
  const int status = archive_read_next_header(a, &entry);
  if (status == ARCHIVE_EOF) {
    return;
  }
  check(status);
  while (true) {
    const void* data = nullptr;
    std::size_t size = 0;
    la_int64_t offset = 0;
    const int read = archive_read_data_block(a, &data, &size, &offset);
    if (read == ARCHIVE_EOF) {
      return;
    }
    check(read);
    if (size > 0 &&
        !sink.push(std::string_view(static_cast<const char*>(data), size))) {
      return;
    }
  }
}

} // namespace xtc::unpack
