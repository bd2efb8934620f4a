// Builds archives for the unpack tests with libarchive's write side: tar
// (plain, gzip, xz, zstd), zip, and ar for .deb packages. Entries are
// described as plain values, so a test states exactly the hostile member it
// needs. Header-only: the test executable compiles *_test.cpp files only.
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include <sys/stat.h>
#include <sys/types.h>
#if defined(__linux__)
#include <sys/sysmacros.h> // makedev
#endif

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace xtc::test {

enum class ArchiveFormat { tar, tar_gz, tar_xz, tar_zst, zip, ar };

struct Member {
  enum class Type {
    file,
    directory,
    symlink,
    hard_link,
    char_device,
    block_device,
    fifo
  };
  std::string name;
  Type type = Type::file;
  std::string data; // a file's content, or a link's target
  int mode = 0644;
  std::int64_t mtime = 1'600'000'000;
  // A sparse file: `data` at offset 0, then a hole up to this logical size.
  std::int64_t sparse_size = 0;
};

inline Member file(std::string name, std::string data, int mode = 0644) {
  return Member{std::move(name), Member::Type::file, std::move(data), mode};
}
inline Member sparse_file(std::string name, std::string data,
                          std::int64_t logical_size) {
  Member member{std::move(name), Member::Type::file, std::move(data), 0644};
  member.sparse_size = logical_size;
  return member;
}
inline Member directory(std::string name, int mode = 0755) {
  return Member{std::move(name), Member::Type::directory, {}, mode};
}
inline Member symbolic_link(std::string name, std::string target) {
  return Member{std::move(name), Member::Type::symlink, std::move(target),
                0777};
}
inline Member hard_link(std::string name, std::string target) {
  return Member{std::move(name), Member::Type::hard_link, std::move(target)};
}
inline Member special(std::string name, Member::Type type) {
  return Member{std::move(name), type, {}, 0644};
}

namespace detail {

struct WriteFree {
  void operator()(archive* handle) const noexcept {
    archive_write_free(handle);
  }
};
struct EntryFree {
  void operator()(archive_entry* entry) const noexcept {
    archive_entry_free(entry);
  }
};

inline void check(archive* handle, int status) {
  if (status < ARCHIVE_WARN) {
    const char* text = archive_error_string(handle);
    throw std::runtime_error(std::string("archive builder: ") +
                             (text != nullptr ? text : "libarchive error"));
  }
}

inline la_ssize_t append(archive* /*handle*/, void* client, const void* buffer,
                         std::size_t length) {
  static_cast<std::string*>(client)->append(static_cast<const char*>(buffer),
                                            length);
  return static_cast<la_ssize_t>(length);
}

inline void set_format(archive* a, ArchiveFormat format) {
  switch (format) {
  case ArchiveFormat::tar:
    check(a, archive_write_set_format_pax_restricted(a));
    break;
  case ArchiveFormat::tar_gz:
    check(a, archive_write_set_format_pax_restricted(a));
    check(a, archive_write_add_filter_gzip(a));
    break;
  case ArchiveFormat::tar_xz:
    check(a, archive_write_set_format_pax_restricted(a));
    check(a, archive_write_add_filter_xz(a));
    break;
  case ArchiveFormat::tar_zst:
    check(a, archive_write_set_format_pax_restricted(a));
    check(a, archive_write_add_filter_zstd(a));
    break;
  case ArchiveFormat::zip:
    check(a, archive_write_set_format_zip(a));
    break;
  case ArchiveFormat::ar:
    check(a, archive_write_set_format_ar_svr4(a));
    break;
  }
}

inline unsigned file_type(Member::Type type) {
  switch (type) {
  case Member::Type::directory:
    return AE_IFDIR;
  case Member::Type::symlink:
    return AE_IFLNK;
  case Member::Type::char_device:
    return AE_IFCHR;
  case Member::Type::block_device:
    return AE_IFBLK;
  case Member::Type::fifo:
    return AE_IFIFO;
  case Member::Type::file:
  case Member::Type::hard_link:
    break;
  }
  return AE_IFREG;
}

} // namespace detail

// Returns the archive's bytes.
inline std::string build_archive(ArchiveFormat format,
                                 const std::vector<Member>& members) {
  std::string out;
  const std::unique_ptr<archive, detail::WriteFree> writer(archive_write_new());
  archive* a = writer.get();
  detail::set_format(a, format);
  // No padding to 10 KiB records: the tests cut archives at exact offsets.
  detail::check(a, archive_write_set_bytes_in_last_block(a, 1));
  detail::check(a,
                archive_write_open(a, &out, nullptr, detail::append, nullptr));
  for (const Member& member : members) {
    const std::unique_ptr<archive_entry, detail::EntryFree> entry(
        archive_entry_new());
    archive_entry* e = entry.get();
    archive_entry_set_pathname(e, member.name.c_str());
    archive_entry_set_filetype(e, detail::file_type(member.type));
    archive_entry_set_perm(e, static_cast<mode_t>(member.mode));
    archive_entry_set_mtime(e, static_cast<time_t>(member.mtime), 0);
    const bool has_data = member.type == Member::Type::file;
    if (member.type == Member::Type::symlink) {
      archive_entry_set_symlink(e, member.data.c_str());
    } else if (member.type == Member::Type::hard_link) {
      archive_entry_set_hardlink(e, member.data.c_str());
    } else if (member.type == Member::Type::char_device ||
               member.type == Member::Type::block_device) {
      archive_entry_set_rdev(e, makedev(1, 3));
    }
    archive_entry_set_size(
        e, has_data ? static_cast<la_int64_t>(member.data.size()) : 0);
    if (member.sparse_size > 0) {
      // pax's GNU sparse map: only the data region is stored.
      archive_entry_sparse_add_entry(
          e, 0, static_cast<la_int64_t>(member.data.size()));
      archive_entry_set_size(e, member.sparse_size);
    }
    detail::check(a, archive_write_header(a, e));
    if (has_data && !member.data.empty()) {
      const la_ssize_t written =
          archive_write_data(a, member.data.data(), member.data.size());
      if (written < 0) {
        detail::check(a, static_cast<int>(written));
      }
    }
    if (member.sparse_size > 0) {
      // The writer takes the hole's bytes too, and skips them.
      const std::string zeros(1U << 20U, '\0');
      std::int64_t left =
          member.sparse_size - static_cast<std::int64_t>(member.data.size());
      while (left > 0) {
        const auto n = static_cast<std::size_t>(std::min<std::int64_t>(
            left, static_cast<std::int64_t>(zeros.size())));
        const la_ssize_t written = archive_write_data(a, zeros.data(), n);
        if (written < 0) {
          detail::check(a, static_cast<int>(written));
        }
        left -= static_cast<std::int64_t>(n);
      }
    }
  }
  detail::check(a, archive_write_close(a));
  return out;
}

// Writes bytes to path and returns path.
inline std::filesystem::path write_bytes(const std::filesystem::path& path,
                                         const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  if (!out) {
    throw std::runtime_error("cannot write " + path.string());
  }
  return path;
}

// Writes an archive of members to path and returns path.
inline std::filesystem::path write_archive(const std::filesystem::path& path,
                                           ArchiveFormat format,
                                           const std::vector<Member>& members) {
  return write_bytes(path, build_archive(format, members));
}

} // namespace xtc::test
