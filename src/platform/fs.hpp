// File-system operations with xtc's error messages: each failure becomes an
// xtc::Error naming the path and its role. Thin wrappers over
// std::filesystem and POSIX; nothing here follows a symlink it removes.
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

namespace xtc::platform {

namespace fs = std::filesystem;

// mkdir -p; throws "cannot create <role> '<path>': <reason>".
void make_directories(const fs::path& path, std::string_view role);

// rm -rf that never follows symlinks; a missing path is fine.
void remove_tree(const fs::path& path, std::string_view role);

// rename(2); throws naming both paths.
void rename_path(const fs::path& from, const fs::path& to,
                 std::string_view role);

// True when path exists (a dangling symlink counts as existing).
bool path_exists(const fs::path& path);

// Names of the entries of dir, sorted; an absent dir has none.
std::vector<std::string> list_directory(const fs::path& dir);

// Copies a regular file's bytes and mode to `to` atomically (temp + rename).
void copy_file_atomic(const fs::path& from, const fs::path& to,
                      std::string_view role);

// Makes `link` name the same file as `target`: a hard link when the file
// system allows it, else a relative symlink. Replaces an existing `link`.
void link_or_symlink(const fs::path& target, const fs::path& link,
                     std::string_view role);

// Total size in bytes of the regular files under root (no symlinks followed).
unsigned long long tree_size(const fs::path& root);

// Relative paths ("usr/bin/gcc") of the regular files under root, sorted;
// symlinks are neither listed nor followed. Throws "cannot read <role>
// '<path>': …" when a directory cannot be read.
std::vector<std::string> regular_files(const fs::path& root,
                                       std::string_view role);

// What a file system does with names and links, found by trying it.
struct FileSystemTraits {
  bool folds_case = false; // "A" and "a" name one file (APFS's default)
  bool symlinks = true;    // symlinks can be created
};

// Probes the file system holding `dir` (an existing directory only the
// caller uses) by creating and removing two entries in it. Throws xtc::Error
// when it cannot create a file there.
FileSystemTraits probe_file_system(const fs::path& dir);

// `base` followed by the six characters mkstemp(3) and mkdtemp(3) replace
// with a unique suffix.
std::string unique_name_template(std::string base);

// Owner TempDir: a fresh directory made with mkdtemp under parent, removed
// recursively by the destructor unless release()d.
class TempDir {
public:
  TempDir(const fs::path& parent, std::string_view prefix);
  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&&) = delete;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();

  const fs::path& path() const noexcept { return m_path; }
  // Keeps the directory: the destructor no longer removes it.
  fs::path release() noexcept;

private:
  fs::path m_path;
};

} // namespace xtc::platform
