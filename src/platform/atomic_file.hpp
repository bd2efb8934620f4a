// AtomicFile writes a user-visible file so that readers see either the old
// content or the new, never a mix: a temp file in the same directory, write,
// fsync, rename on commit(). Destroyed without commit(), it deletes the temp
// file and the target is untouched.
#pragma once

#include "platform/fd.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace xtc::platform {

class AtomicFile {
public:
  // Creates the temp file next to path. `role` names the file in errors
  // ("cargo config"). Throws xtc::Error when the directory is not writable.
  AtomicFile(std::filesystem::path path, std::string role, int mode = 0644);
  AtomicFile(AtomicFile&&) noexcept = default;
  AtomicFile& operator=(AtomicFile&&) = delete;
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  void write(std::string_view data);
  // fsyncs, closes and renames over the target; throws on any failure (the
  // temp file is removed and the target keeps its old content).
  void commit();

private:
  std::filesystem::path m_path;
  std::filesystem::path m_temp;
  std::string m_role;
  Fd m_fd;
  bool m_committed = false;
};

// Replaces path's content with data atomically (AtomicFile in one call).
void write_file_atomic(const std::filesystem::path& path, std::string_view data,
                       std::string_view role, int mode = 0644);

// The same, but leaves a file that already holds exactly data (and mode)
// alone: no write, no fsync. Returns true when it wrote.
bool update_file_atomic(const std::filesystem::path& path,
                        std::string_view data, std::string_view role,
                        int mode = 0644);

// fsyncs a directory so a rename inside it is durable. Best effort on file
// systems that refuse fsync on directories.
void sync_directory(const std::filesystem::path& dir);

} // namespace xtc::platform
