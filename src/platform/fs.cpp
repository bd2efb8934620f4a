#include "platform/fs.hpp"

#include "base/error.hpp"
#include "platform/atomic_file.hpp"
#include "platform/fd.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <system_error>

namespace xtc::platform {
namespace {

constexpr std::size_t k_copy_chunk = 65536;

[[noreturn]] void fail(std::string_view verb, std::string_view role,
                       const fs::path& path, const std::error_code& ec) {
  throw system_error(
      fmt::format("cannot {} {} '{}'", verb, role, path.string()), ec.value());
}

} // namespace

void make_directories(const fs::path& path, std::string_view role) {
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) {
    fail("create", role, path, ec);
  }
}

void remove_tree(const fs::path& path, std::string_view role) {
  std::error_code ec;
  // Installed trees are read-only once committed; make directories writable
  // again so their entries can be unlinked.
  if (fs::is_directory(fs::symlink_status(path, ec))) {
    for (auto it = fs::recursive_directory_iterator(path, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_directory(ec) && !it->is_symlink(ec)) {
        ::chmod(it->path().c_str(), 0700);
      }
    }
    ::chmod(path.c_str(), 0700);
  }
  ec.clear();
  fs::remove_all(path, ec);
  if (ec && ec != std::errc::no_such_file_or_directory) {
    fail("remove", role, path, ec);
  }
}

void rename_path(const fs::path& from, const fs::path& to,
                 std::string_view role) {
  if (::rename(from.c_str(), to.c_str()) != 0) {
    throw_errno(fmt::format("cannot move {} '{}' to '{}'", role, from.string(),
                            to.string()));
  }
}

bool path_exists(const fs::path& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

std::vector<std::string> list_directory(const fs::path& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (auto it = fs::directory_iterator(dir, ec);
       !ec && it != fs::directory_iterator(); it.increment(ec)) {
    names.push_back(it->path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

void copy_file_atomic(const fs::path& from, const fs::path& to,
                      std::string_view role) {
  const Fd in = open_file(from, O_RDONLY, role);
  struct stat st {};
  if (::fstat(in.get(), &st) != 0) {
    throw_errno(fmt::format("cannot read {} '{}'", role, from.string()));
  }
  AtomicFile out(to, std::string(role), static_cast<int>(st.st_mode & 07777));
  read_chunks(in.get(), k_copy_chunk, role, from,
              [&out](std::string_view data) { out.write(data); });
  out.commit();
}

void link_or_symlink(const fs::path& target, const fs::path& link,
                     std::string_view role) {
  // Build the new name beside the old one and rename over it, so a shim is
  // never missing while it is being refreshed.
  const fs::path temp = link.string() + ".tmp-link";
  ::unlink(temp.c_str());
  if (::link(target.c_str(), temp.c_str()) != 0) {
    const fs::path relative = target.lexically_relative(link.parent_path());
    const fs::path& value = relative.empty() ? target : relative;
    if (::symlink(value.c_str(), temp.c_str()) != 0) {
      throw_errno(fmt::format("cannot create {} '{}'", role, link.string()));
    }
  }
  if (::rename(temp.c_str(), link.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    throw system_error(
        fmt::format("cannot create {} '{}'", role, link.string()), err);
  }
}

FileSystemTraits probe_file_system(const fs::path& dir) {
  FileSystemTraits traits;
  // Lower-case letters in a fixed part of the name, so the upper-cased
  // name differs from it whatever mkstemp fills in.
  std::string name = unique_name_template((dir / "case-probe.").string());
  const int fd = ::mkstemp(name.data());
  if (fd < 0) {
    throw_errno(fmt::format("cannot create a file in '{}'", dir.string()));
  }
  const Fd file(fd);
  struct stat created {};
  struct stat other {};
  std::string upper = dir.string() + "/";
  for (const char c : name.substr(upper.size())) {
    upper += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  traits.folds_case =
      ::fstat(fd, &created) == 0 && ::lstat(upper.c_str(), &other) == 0 &&
      created.st_ino == other.st_ino && created.st_dev == other.st_dev;
  const std::string link = name + ".link";
  traits.symlinks = ::symlink("case-probe", link.c_str()) == 0;
  ::unlink(link.c_str());
  ::unlink(name.c_str());
  return traits;
}

std::vector<std::string> regular_files(const fs::path& root,
                                       std::string_view role) {
  std::vector<std::string> files;
  std::error_code ec;
  auto it = fs::recursive_directory_iterator(root, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    // symlink_status: a symlink to a file is not a file of this tree.
    if (fs::is_regular_file(it->symlink_status(ec))) {
      files.push_back(it->path().lexically_relative(root).string());
    }
  }
  if (ec) {
    fail("read", role, root, ec);
  }
  std::sort(files.begin(), files.end());
  return files;
}

unsigned long long tree_size(const fs::path& root) {
  unsigned long long total = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec) && !it->is_symlink(ec)) {
      total += it->file_size(ec);
    }
  }
  return total;
}

std::string unique_name_template(std::string base) {
  base.append(6, 'X');
  return base;
}

TempDir::TempDir(const fs::path& parent, std::string_view prefix) {
  make_directories(parent, "directory");
  std::string pattern = unique_name_template((parent / prefix).string());
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw_errno(fmt::format("cannot create a temporary directory in '{}'",
                            parent.string()));
  }
  m_path = pattern;
}

TempDir::TempDir(TempDir&& other) noexcept : m_path(other.release()) {}

TempDir::~TempDir() {
  if (!m_path.empty()) {
    std::error_code ec;
    try {
      remove_tree(m_path, "temporary directory");
    } catch (const Error&) {
      // A destructor must not throw; the next run sweeps what is left.
    }
  }
}

fs::path TempDir::release() noexcept {
  fs::path out = std::move(m_path);
  m_path.clear();
  return out;
}

} // namespace xtc::platform
