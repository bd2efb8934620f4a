#include "unpack/tree_writer.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <span>
#include <system_error>

namespace xtc::unpack {
namespace {

std::string prefix_text(const RelPath& path, std::size_t count) {
  return join(std::span(path.parts).first(count), "/");
}

// The access time is left alone (UTIME_OMIT): only the modification time is
// part of what an archive records that anyone relies on.
std::array<timespec, 2> times_for(const timespec& mtime) {
  return {timespec{0, UTIME_OMIT}, mtime};
}

} // namespace

void NewFile::write_at(std::uint64_t offset, const void* data,
                       std::size_t size) {
  const char* bytes = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n =
        ::pwrite(m_fd.get(), bytes, size, static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw_errno(fmt::format("cannot write '{}'", m_display.string()));
    }
    bytes += n;
    size -= static_cast<std::size_t>(n);
    offset += static_cast<std::uint64_t>(n);
  }
  // An empty block still marks where the data ends (a sparse file's tail).
  m_end = std::max(m_end, offset);
}

void NewFile::finish(std::uint64_t size, mode_t mode,
                     const std::optional<timespec>& mtime) {
  const std::string what = fmt::format("cannot write '{}'", m_display.string());
  if (size > m_end && ::ftruncate(m_fd.get(), static_cast<off_t>(size)) != 0) {
    throw_errno(what);
  }
  // fchmod, not the creation mode: the umask must not decide what an
  // installed tool's permissions are.
  if (::fchmod(m_fd.get(), mode) != 0) {
    throw_errno(what);
  }
  if (mtime) {
    const std::array<timespec, 2> times = times_for(*mtime);
    if (::futimens(m_fd.get(), times.data()) != 0) {
      throw_errno(what);
    }
  }
  m_fd.close(what);
}

TreeWriter::TreeWriter(const std::filesystem::path& root,
                       std::filesystem::path archive, bool fold_case)
    : m_root_path(root), m_archive(std::move(archive)), m_fold_case(fold_case) {
  const int fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    throw_errno(
        fmt::format("cannot open unpack destination '{}'", root.string()));
  }
  m_root = platform::Fd(fd);
  // The policy reasons about what this writer made; anything already there
  // (a symlink above all) would be outside that reasoning.
  std::error_code ec;
  if (!std::filesystem::is_empty(root, ec) || ec) {
    throw Error(
        fmt::format("cannot unpack '{}' into '{}': the directory is not "
                    "empty",
                    m_archive.string(), root.string()));
  }
}

void TreeWriter::make_directory(const RelPath& path, std::string_view name,
                                mode_t mode,
                                const std::optional<timespec>& mtime) {
  const int parent = parent_fd(path, name);
  if (claim(parent, path, name, Kind::directory) &&
      ::mkdirat(parent, path.parts.back().c_str(), 0755) != 0) {
    throw_errno(
        fmt::format("cannot create directory '{}'", display(path).string()));
  }
  const auto [it, added] =
      m_fixup_index.emplace(key(path.text), m_fixups.size());
  if (added) {
    m_fixups.push_back(DirectoryFixup{path, mode, mtime});
  } else {
    m_fixups[it->second].mode = mode;
    m_fixups[it->second].mtime = mtime;
  }
}

NewFile TreeWriter::create_file(const RelPath& path, std::string_view name) {
  const int parent = parent_fd(path, name);
  claim(parent, path, name, Kind::file);
  // O_EXCL | O_NOFOLLOW: the name was just claimed, so anything found there
  // now (a symlink planted by someone else) is refused by the kernel.
  const int fd =
      ::openat(parent, path.parts.back().c_str(),
               O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    throw_errno(fmt::format("cannot create '{}'", display(path).string()));
  }
  return NewFile(platform::Fd(fd), display(path));
}

void TreeWriter::make_symlink(const RelPath& path, std::string_view name,
                              const std::string& target,
                              const std::optional<timespec>& mtime) {
  const int parent = parent_fd(path, name);
  claim(parent, path, name, Kind::symlink);
  const char* base = path.parts.back().c_str();
  if (::symlinkat(target.c_str(), parent, base) != 0) {
    throw_errno(
        fmt::format("cannot create symlink '{}'", display(path).string()));
  }
  if (mtime) {
    const std::array<timespec, 2> times = times_for(*mtime);
    if (::utimensat(parent, base, times.data(), AT_SYMLINK_NOFOLLOW) != 0) {
      throw_errno(fmt::format("cannot set the time of symlink '{}'",
                              display(path).string()));
    }
  }
}

void TreeWriter::make_hard_link(const RelPath& path, std::string_view name,
                                const RelPath& target) {
  if (!made_file(target)) {
    throw unsafe_entry(m_archive, name,
                       fmt::format("is a hard link to something other than an "
                                   "extracted regular file ('{}')",
                                   target.text));
  }
  if (target.text == path.text) {
    throw unsafe_entry(m_archive, name, "is a hard link to itself");
  }
  platform::Fd target_dir;
  int target_parent = m_root.get();
  if (target.parts.size() > 1) {
    target_dir = open_directory(m_root.get(), target, 0,
                                target.parts.size() - 1, name, false);
    target_parent = target_dir.get();
  }
  const int parent = parent_fd(path, name);
  claim(parent, path, name, Kind::file);
  // Flags 0: linkat never follows a symlink in the target's last component.
  if (::linkat(target_parent, target.parts.back().c_str(), parent,
               path.parts.back().c_str(), 0) != 0) {
    throw_errno(fmt::format("cannot link '{}' to '{}'", display(path).string(),
                            display(target).string()));
  }
}

bool TreeWriter::made_file(const RelPath& path) const {
  const auto it = m_made.find(key(path.text));
  return it != m_made.end() && it->second.kind == Kind::file;
}

void TreeWriter::finish() {
  m_cached = platform::Fd();
  // Deepest first, so a parent made read-only never stands in the way of its
  // children's fix-ups.
  std::stable_sort(m_fixups.begin(), m_fixups.end(),
                   [](const DirectoryFixup& a, const DirectoryFixup& b) {
                     return a.path.parts.size() > b.path.parts.size();
                   });
  for (const DirectoryFixup& fixup : m_fixups) {
    const platform::Fd dir =
        open_directory(m_root.get(), fixup.path, 0, fixup.path.parts.size(),
                       fixup.path.text, false);
    const std::string what = fmt::format(
        "cannot set the mode of directory '{}'", display(fixup.path).string());
    if (::fchmod(dir.get(), fixup.mode) != 0) {
      throw_errno(what);
    }
    if (fixup.mtime) {
      const std::array<timespec, 2> times = times_for(*fixup.mtime);
      if (::futimens(dir.get(), times.data()) != 0) {
        throw_errno(what);
      }
    }
  }
}

int TreeWriter::parent_fd(const RelPath& path, std::string_view name) {
  const std::size_t depth = path.parts.size() - 1;
  if (depth == 0) {
    return m_root.get();
  }
  const std::string_view parent = std::string_view(path.text).substr(
      0, path.text.size() - path.parts.back().size() - 1);
  if (m_cached.valid() && parent == m_cached_text) {
    return m_cached.get();
  }
  // Archives list a directory's entries together, so most parents are the
  // previous one or a child of it: walk on from there instead of the root.
  std::size_t from = 0;
  int at = m_root.get();
  if (m_cached.valid() && depth > m_cached_depth &&
      parent.starts_with(m_cached_text) &&
      parent[m_cached_text.size()] == '/') {
    from = m_cached_depth;
    at = m_cached.get();
  }
  m_cached = open_directory(at, path, from, depth, name, true);
  m_cached_text = parent;
  m_cached_depth = depth;
  return m_cached.get();
}

platform::Fd TreeWriter::open_directory(int at, const RelPath& path,
                                        std::size_t from, std::size_t to,
                                        std::string_view name, bool create) {
  platform::Fd current;
  for (std::size_t i = from; i < to; ++i) {
    const int dir = current.valid() ? current.get() : at;
    const char* part = path.parts[i].c_str();
    // The kernel refuses to follow a symlink here (O_NOFOLLOW below), but
    // under case folding "a/x" may meet the symlink "A" by another name:
    // refused by the policy itself, whatever the file system does.
    if (m_fold_case) {
      const auto made = m_made.find(key(prefix_text(path, i + 1)));
      if (made != m_made.end() && made->second.kind == Kind::symlink) {
        throw unsafe_entry(
            m_archive, name,
            fmt::format("would be written through a symlink ('{}')",
                        made->second.spelling));
      }
    }
    constexpr int k_flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
    int fd = ::openat(dir, part, k_flags);
    if (fd < 0 && errno == ENOENT && create) {
      if (::mkdirat(dir, part, 0755) != 0 && errno != EEXIST) {
        throw_errno(
            fmt::format("cannot create directory '{}'",
                        (m_root_path / prefix_text(path, i + 1)).string()));
      }
      const std::string made = prefix_text(path, i + 1);
      m_made.emplace(key(made), Made{Kind::directory, made});
      fd = ::openat(dir, part, k_flags);
    }
    if (fd < 0) {
      const int err = errno;
      // O_NOFOLLOW makes the kernel refuse a symlink here (ELOOP, or ENOTDIR
      // with O_DIRECTORY on some systems); say why in the archive's terms.
      struct stat st {};
      if ((err == ELOOP || err == ENOTDIR) &&
          ::fstatat(dir, part, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
          S_ISLNK(st.st_mode)) {
        throw unsafe_entry(
            m_archive, name,
            fmt::format("would be written through a symlink ('{}')",
                        prefix_text(path, i + 1)));
      }
      throw system_error(
          fmt::format("cannot open directory '{}'",
                      (m_root_path / prefix_text(path, i + 1)).string()),
          err);
    }
    current = platform::Fd(fd);
  }
  return current;
}

bool TreeWriter::claim(int parent, const RelPath& path, std::string_view name,
                       Kind kind) {
  const auto [it, added] =
      m_made.emplace(key(path.text), Made{kind, path.text});
  if (added) {
    return true;
  }
  const bool was_directory = it->second.kind == Kind::directory;
  if (was_directory && kind == Kind::directory) {
    return false; // one directory, whatever its spellings: nothing is lost
  }
  if (was_directory || kind == Kind::directory) {
    throw unsafe_entry(m_archive, name,
                       "replaces an earlier entry of another type");
  }
  if (it->second.spelling != path.text) {
    m_collisions.push_back(
        fmt::format("{} (was {})", path.text, it->second.spelling));
  }
  // A later entry of the same name wins, as with tar; unlink first so the
  // new one is created fresh (O_EXCL) rather than written through the old.
  // (Under case folding the unlink, by the new spelling, removes the old.)
  if (::unlinkat(parent, path.parts.back().c_str(), 0) != 0 &&
      errno != ENOENT) {
    throw_errno(fmt::format("cannot replace '{}'", display(path).string()));
  }
  it->second = Made{kind, path.text};
  return false;
}

std::string TreeWriter::key(std::string_view text) const {
  std::string folded(text);
  if (m_fold_case) {
    // ASCII only, as every name in a toolchain is; what a file system folds
    // beyond that is not modelled.
    for (char& c : folded) {
      if (c >= 'A' && c <= 'Z') {
        c = static_cast<char>(c - 'A' + 'a');
      }
    }
  }
  return folded;
}

std::filesystem::path TreeWriter::display(const RelPath& path) const {
  return m_root_path / path.text;
}

} // namespace xtc::unpack
