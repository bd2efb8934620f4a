// Extracts archives with libarchive (the only module that includes
// archive.h) under a strict path policy: archives are hostile until proven
// otherwise. Unpack never writes outside the destination root:
// only relative, normal paths (no "..", no absolute names); symlinks only
// when their target resolves inside the root; hard links only to entries
// already inside the root; no devices, FIFOs or sockets; setuid, setgid and
// sticky bits dropped; nothing is ever written through a symlink.
#pragma once

#include "platform/byte_queue.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace xtc::unpack {

// Bounds on what an archive may unpack to, checked before each block is
// written. Unpacked bytes are the files' logical sizes (a sparse file counts
// in full, holes included), so a small archive of huge sparse files cannot
// slip past them.
struct Limits {
  std::uint64_t max_bytes = 0;   // total unpacked bytes; 0: no limit
  std::uint64_t max_entries = 0; // 0: no limit
  // Unpacked bytes may be at most max_ratio times the archive bytes read so
  // far, or ratio_floor, whichever is more; 0: no ratio. This is what stops
  // a decompression bomb whose size nobody stated, long before it fills
  // the disk.
  std::uint64_t max_ratio = 0;
  std::uint64_t ratio_floor = 0;
};

struct Options {
  unsigned strip_components = 0;
  Limits limits;
  // The destination's file system ignores case (platform::FileSystemTraits):
  // names that differ only in case are one name, the later entry wins.
  bool fold_case = false;
};

struct Extracted {
  std::uint64_t entries = 0;
  std::uint64_t bytes = 0;
  // Relative paths of the regular files under root once everything was
  // written, sorted: what is really on disk, after later entries replaced
  // earlier ones of the same name.
  std::vector<std::string> files;
  // With Options::fold_case: each name that met an earlier entry spelled in
  // another case, "<name> (was <earlier name>)", in archive order.
  std::vector<std::string> case_collisions;
};

// Extracts `archive` (format and compression detected from its content:
// tar with gzip/xz/zstd/bzip2, zip, and .deb, whose data.tar.* is unpacked)
// into `root`, which must exist and be empty. Throws xtc::Error
// "unsafe archive '<archive>': entry '<name>' …" or "cannot unpack …" with
// libarchive's message; on error, what was written under root stays for the
// caller to discard (root is a staging directory).
Extracted extract(const std::filesystem::path& archive,
                  const std::filesystem::path& root, const Options& options);

// The same, reading the archive from `source` while its bytes arrive (a
// download in progress); `display` names the archive in errors. Returns at
// the archive's end and then abandons the source, so the producer never
// waits on a reader that has stopped; on error it abandons it too. Throws
// what extract() throws, and "cannot unpack '<display>': the download was
// cancelled" when the producer cancels the stream.
Extracted extract_stream(platform::ByteQueue& source,
                         const std::filesystem::path& display,
                         const std::filesystem::path& root,
                         const Options& options);

} // namespace xtc::unpack
