#include "unpack/extract.hpp"

#include "base/error.hpp"
#include "base/interrupt.hpp"
#include "base/strings.hpp"
#include "platform/fs.hpp"
#include "unpack/archive_reader.hpp"
#include "unpack/entry_path.hpp"
#include "unpack/tree_writer.hpp"
#include "unpack/write_behind.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>

#include <sys/stat.h>

#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

namespace xtc::unpack {
namespace {

// Decoded bytes buffered between the decompressing and the unpacking thread.
constexpr std::size_t k_plain_queue = 16U << 20U;

// How much data may pass between two looks at the interrupt flag.
constexpr std::uint64_t k_interrupt_stride = 8U << 20U;

constexpr const char* k_limit_hint =
    "the archive may be corrupt or malicious; it was not installed";

// Names as stored: libarchive returns nullptr for the locale form when the
// archive's UTF-8 cannot be converted (a C locale); the bytes still work as a
// POSIX file name.
std::string text_of(const char* native, const char* utf8) {
  if (native != nullptr) {
    return native;
  }
  return utf8 != nullptr ? utf8 : "";
}

std::optional<timespec> mtime_of(archive_entry* entry) {
  if (archive_entry_mtime_is_set(entry) == 0) {
    return std::nullopt;
  }
  return timespec{archive_entry_mtime(entry), archive_entry_mtime_nsec(entry)};
}

// Group and others keep read and execute, never write; setuid, setgid and
// sticky go. The owner can always read a file and enter a directory, so the
// tree can be used, and removed, by whoever installed it.
mode_t file_mode(archive_entry* entry) {
  return (archive_entry_perm(entry) & 0755U) | 0400U;
}
mode_t directory_mode(archive_entry* entry) {
  return (archive_entry_perm(entry) & 0755U) | 0500U;
}

// What the entry's type rules out before anything is written, or "".
const char* type_problem(archive_entry* entry) {
  switch (archive_entry_filetype(entry)) {
  case AE_IFREG:
  case AE_IFDIR:
  case AE_IFLNK:
    return "";
  case AE_IFCHR:
  case AE_IFBLK:
    return "is a device node";
  case AE_IFIFO:
    return "is a FIFO";
  case AE_IFSOCK:
    return "is a socket";
  default:
    return "has an unsupported file type";
  }
}

class Extraction {
public:
  // input_bytes: how many bytes of the archive have been read so far.
  Extraction(ArchiveReader reader, const std::filesystem::path& archive,
             const std::filesystem::path& root, const Options& options,
             std::function<std::uint64_t()> input_bytes)
      : m_archive(archive), m_root(root), m_options(options),
        m_input_bytes(std::move(input_bytes)), m_reader(std::move(reader)),
        m_writer(root, archive, options.fold_case) {}

  Extracted run() {
    while (archive_entry* entry = m_reader.next()) {
      throw_if_interrupted();
      count_entry();
      extract_entry(entry);
    }
    m_behind.drain();
    m_writer.finish();
    m_result.files = platform::regular_files(m_root, "unpacked tree");
    m_result.case_collisions = m_writer.case_collisions();
    return std::move(m_result);
  }

private:
  void extract_entry(archive_entry* entry) {
    const std::string name = text_of(archive_entry_pathname(entry),
                                     archive_entry_pathname_utf8(entry));
    const NameVerdict verdict = judge_name(name, m_options.strip_components);
    if (!verdict.reason.empty()) {
      throw unsafe_entry(m_archive, name, verdict.reason);
    }
    const char* hard_link = archive_entry_hardlink(entry);
    // A hard link's own type field is whatever its target is; only the name
    // it points at matters.
    if (hard_link == nullptr) {
      if (const std::string_view problem = type_problem(entry);
          !problem.empty()) {
        throw unsafe_entry(m_archive, name, problem);
      }
    }
    if (verdict.skipped) {
      return;
    }
    const RelPath& path = verdict.path;
    ++m_result.entries;
    if (hard_link != nullptr) {
      link_entry(path, name,
                 text_of(hard_link, archive_entry_hardlink_utf8(entry)));
      return;
    }
    switch (archive_entry_filetype(entry)) {
    case AE_IFDIR:
      m_writer.make_directory(path, name, directory_mode(entry),
                              mtime_of(entry));
      break;
    case AE_IFLNK: {
      const std::string target = text_of(archive_entry_symlink(entry),
                                         archive_entry_symlink_utf8(entry));
      if (const std::string problem = symlink_target_problem(path, target);
          !problem.empty()) {
        throw unsafe_entry(m_archive, name, problem);
      }
      m_writer.make_symlink(path, name, target, mtime_of(entry));
      break;
    }
    default:
      file_entry(entry, path, name);
      break;
    }
  }

  void file_entry(archive_entry* entry, const RelPath& path,
                  const std::string& name) {
    const std::uint64_t declared =
        archive_entry_size_is_set(entry) != 0
            ? static_cast<std::uint64_t>(archive_entry_size(entry))
            : 0;
    // Counted against the size limit at its logical size (a sparse file's
    // holes included) before any of it is written; the loop below counts
    // data that turns out to reach past the declared size. The ratio is
    // judged on what has been produced: a large first file is declared
    // after a few KiB of the archive, its data arrives with the rest.
    count_bytes(declared);
    std::uint64_t counted = declared;
    std::uint64_t produced = 0; // of this file
    // Created here, so the policy's view of the tree stays on one thread;
    // written and closed by m_behind.
    const auto file =
        std::make_shared<NewFile>(m_writer.create_file(path, name));
    DataBlock block;
    std::uint64_t since_check = 0;
    while (m_reader.read_block(block)) {
      const std::uint64_t end = block.offset + block.size;
      if (end > counted) {
        count_bytes(end - counted);
        counted = end;
      }
      if (end > produced) {
        // Holes before the block count as produced: a sparse bomb's data
        // sits at huge offsets.
        m_produced += end - produced;
        produced = end;
      }
      check_ratio();
      m_behind.write(file, block.offset, block.data, block.size);
      since_check += block.size;
      if (since_check >= k_interrupt_stride) {
        throw_if_interrupted();
        since_check = 0;
      }
    }
    if (declared > produced) {
      m_produced += declared - produced; // the hole at its end
      check_ratio();
    }
    m_behind.finish(file, declared, file_mode(entry), mtime_of(entry));
  }

  void link_entry(const RelPath& path, const std::string& name,
                  const std::string& target) {
    if (target.empty()) {
      throw unsafe_entry(m_archive, name,
                         "is a hard link with an empty target");
    }
    const NameVerdict verdict = judge_name(target, m_options.strip_components);
    if (!verdict.reason.empty()) {
      throw unsafe_entry(
          m_archive, name,
          fmt::format("is a hard link pointing outside the destination ('{}')",
                      target));
    }
    if (verdict.skipped) {
      throw unsafe_entry(
          m_archive, name,
          fmt::format(
              "is a hard link to an entry that was not extracted ('{}')",
              target));
    }
    m_writer.make_hard_link(path, name, verdict.path);
  }

  void count_entry() {
    ++m_seen;
    const std::uint64_t limit = m_options.limits.max_entries;
    if (limit != 0 && m_seen > limit) {
      throw Error(fmt::format("archive '{}' has more than {} entries (limit "
                              "from its manifest entry)",
                              m_archive.string(), limit),
                  k_limit_hint);
    }
  }

  // Adds `more` unpacked bytes, refusing them first when they pass a limit.
  void count_bytes(std::uint64_t more) {
    const Limits& limits = m_options.limits;
    const std::uint64_t limit = limits.max_bytes;
    if (limit != 0 && (more > limit || m_result.bytes > limit - more)) {
      throw Error(fmt::format("archive '{}' unpacks to more than {} (limit "
                              "from its manifest entry)",
                              m_archive.string(), human_bytes(limit)),
                  k_limit_hint);
    }
    m_result.bytes += more;
  }

  void check_ratio() const {
    const Limits& limits = m_options.limits;
    if (limits.max_ratio == 0) {
      return;
    }
    const std::uint64_t read = m_input_bytes();
    const std::uint64_t allowed = read > limits.ratio_floor / limits.max_ratio
                                      ? read * limits.max_ratio
                                      : limits.ratio_floor;
    if (m_produced > allowed) {
      throw Error(
          fmt::format("archive '{}' unpacks to more than {} from only {} "
                      "read: over {} times its size, which no toolchain does",
                      m_archive.string(), human_bytes(allowed),
                      human_bytes(read), limits.max_ratio),
          "the archive is corrupt or a decompression bomb, and was not "
          "installed; a manifest entry whose archive really unpacks that "
          "large can say so with max_unpacked_size");
    }
  }

  const std::filesystem::path& m_archive;
  const std::filesystem::path& m_root;
  const Options& m_options;
  std::function<std::uint64_t()> m_input_bytes;
  ArchiveReader m_reader;
  TreeWriter m_writer;
  WriteBehind m_behind;
  Extracted m_result;
  std::uint64_t m_seen = 0; // entries read, stripped ones included
  // Bytes of files written so far (holes included), for the ratio.
  std::uint64_t m_produced = 0;
};

} // namespace

Extracted extract(const std::filesystem::path& archive,
                  const std::filesystem::path& root, const Options& options) {
  struct stat st {};
  const std::uint64_t size = ::stat(archive.c_str(), &st) == 0
                                 ? static_cast<std::uint64_t>(st.st_size)
                                 : 0;
  return Extraction(ArchiveReader(archive), archive, root, options,
                    [size] { return size; })
      .run();
}

Extracted extract_stream(platform::ByteQueue& source,
                         const std::filesystem::path& display,
                         const std::filesystem::path& root,
                         const Options& options) {
  // Two stages on two threads: `decoder` decompresses the download into
  // `plain`, this thread reads the archive from it (and a third writes the
  // files). Each stage abandons its input when it stops early, so no
  // producer waits on a reader that has gone: after the archive's end
  // marker nothing more is read, yet the download still has to hash and
  // store its last bytes.
  platform::ByteQueue plain(k_plain_queue);
  std::exception_ptr decode_error;
  std::thread decoder([&] {
    try {
      decompress_stream(source, plain, display);
      plain.close();
    } catch (...) {
      decode_error = std::current_exception();
      plain.cancel();
    }
    source.abandon();
  });
  try {
    Extracted extracted =
        Extraction(ArchiveReader(plain, display), display, root, options,
                   [&source] { return source.taken(); })
            .run();
    plain.abandon();
    decoder.join();
    return extracted;
  } catch (...) {
    plain.abandon();
    decoder.join();
    // The reader only saw a cancelled stream; the decoder knows why.
    if (decode_error) {
      std::rethrow_exception(decode_error);
    }
    throw;
  }
}

} // namespace xtc::unpack
