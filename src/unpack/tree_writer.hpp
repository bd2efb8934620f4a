// TreeWriter creates an archive's entries under one destination root with
// plain POSIX calls and never follows a symlink while doing so: every
// directory on the way is opened from the root's descriptor with O_NOFOLLOW,
// and new names are created relative to their parent's descriptor. It keeps
// a record of what it made, so a hard link can be checked to name a regular
// file it wrote, and an entry can only replace an earlier one of its kind.
// It must never write outside the root, never chown, and never create
// device nodes, FIFOs or sockets (it has no way to).
#pragma once

#include "platform/fd.hpp"
#include "unpack/entry_path.hpp"

#include <sys/types.h>

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace xtc::unpack {

// A regular file being written: created new, filled, then closed with its
// final size, mode and time.
class NewFile {
public:
  NewFile(platform::Fd fd, std::filesystem::path display)
      : m_fd(std::move(fd)), m_display(std::move(display)) {}

  // Writes data at offset (gaps become holes); throws xtc::Error on failure.
  void write_at(std::uint64_t offset, const void* data, std::size_t size);
  // Extends to `size` if the data stopped short (a trailing hole), sets the
  // mode and, when given, the modification time, and closes; throws on error.
  void finish(std::uint64_t size, mode_t mode,
              const std::optional<timespec>& mtime);

private:
  platform::Fd m_fd;
  std::filesystem::path m_display;
  std::uint64_t m_end = 0;
};

class TreeWriter {
public:
  // Opens root (which must exist and be empty). `archive` and the entry
  // names passed below only label errors. With fold_case (root is on a file
  // system that ignores case, as a default macOS disk does) names that
  // differ only in ASCII case are one name to the policy, as they are to the
  // file system: a later entry replaces an earlier one of the same kind, as
  // with equal names, and is recorded as a collision.
  TreeWriter(const std::filesystem::path& root, std::filesystem::path archive,
             bool fold_case);

  // Creates a directory (and its missing parents); its mode and time are
  // applied by finish(), so a read-only directory still receives its entries.
  void make_directory(const RelPath& path, std::string_view name, mode_t mode,
                      const std::optional<timespec>& mtime);
  // Creates a new regular file to fill (replacing an earlier non-directory
  // entry of the same name).
  NewFile create_file(const RelPath& path, std::string_view name);
  // Creates a symlink; the caller has judged its target.
  void make_symlink(const RelPath& path, std::string_view name,
                    const std::string& target,
                    const std::optional<timespec>& mtime);
  // Hard-links path to `target`, which must be a regular file this writer
  // already made; throws "unsafe archive" otherwise.
  void make_hard_link(const RelPath& path, std::string_view name,
                      const RelPath& target);
  // True when path currently names a regular file (or hard link) made here.
  bool made_file(const RelPath& path) const;
  // Names that replaced an earlier file or symlink spelled in another case
  // ("include/linux/xt_connmark.h (was include/linux/xt_CONNMARK.h)"), in
  // archive order. (Directories so spelled are simply one directory.)
  const std::vector<std::string>& case_collisions() const noexcept {
    return m_collisions;
  }

  // Applies directory modes and times, deepest first; throws on error.
  void finish();

private:
  enum class Kind { directory, file, symlink };
  struct Made {
    Kind kind;
    std::string spelling; // the path as its entry named it
  };
  struct DirectoryFixup {
    RelPath path;
    mode_t mode;
    std::optional<timespec> mtime;
  };

  // The descriptor of path's parent directory, created as needed; cached for
  // the next entry, which usually shares it.
  int parent_fd(const RelPath& path, std::string_view name);
  // Opens path's first `to` components, starting at descriptor `at` which
  // stands for the first `from`; creates missing ones when `create`.
  platform::Fd open_directory(int at, const RelPath& path, std::size_t from,
                              std::size_t to, std::string_view name,
                              bool create);
  // Makes room for a new entry of `kind`; returns true when nothing was there.
  bool claim(int parent, const RelPath& path, std::string_view name, Kind kind);
  std::filesystem::path display(const RelPath& path) const;
  // The name the policy knows `text` by: itself, or folded to lower case.
  std::string key(std::string_view text) const;

  std::filesystem::path m_root_path;
  std::filesystem::path m_archive;
  platform::Fd m_root;
  platform::Fd m_cached;
  std::string m_cached_text; // parent directory m_cached refers to
  std::size_t m_cached_depth = 0;
  bool m_fold_case;
  std::unordered_map<std::string, Made> m_made;
  std::vector<std::string> m_collisions;
  std::unordered_map<std::string, std::size_t> m_fixup_index;
  std::vector<DirectoryFixup> m_fixups;
};

} // namespace xtc::unpack
