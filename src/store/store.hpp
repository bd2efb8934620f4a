// The store under $XTC_HOME: staging directories, atomic commit of installed
// artifacts, receipts, listing and removal. Invariants: an install under
// toolchains/<id> is there whole or absent (it appears by one rename of a
// finished staging directory, receipt included); a staging directory is
// owned by whoever holds the flock on its sibling lock file, so a killed
// process's leftovers are recognised and swept by the next run.
#pragma once

#include "platform/file_lock.hpp"
#include "platform/fs.hpp"
#include "store/layout.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace xtc::store {

// What was installed, recorded in toolchains/<id>/receipt.toml.
struct Receipt {
  std::string id;
  std::string kind; // "toolchain" | "sysroot"
  std::string version;
  std::string sha256; // of the downloaded archive
  std::string url;    // where it came from
  std::uint64_t bytes = 0;
  std::vector<std::string> files; // relative paths of regular files
  // SHA-256 (hex) of each of `files`, in the same order; empty in receipts
  // written without digests.
  std::vector<std::string> file_sha256;
};

// A staging directory under tmp/, removed by the destructor unless committed.
class Staging {
public:
  // Creates tmp/<prefix> plus a unique suffix (mkdtemp) and holds the flock
  // on its lock file.
  Staging(const Layout& layout, std::string_view prefix);
  Staging(Staging&&) noexcept = default;
  Staging& operator=(Staging&&) = delete;
  Staging(const Staging&) = delete;
  Staging& operator=(const Staging&) = delete;
  ~Staging();

  const std::filesystem::path& path() const noexcept { return m_path; }
  // Renames the staging directory to `destination` (which must not exist)
  // and makes the rename durable. Throws xtc::Error; on failure the staging
  // directory is still removed by the destructor.
  void commit(const std::filesystem::path& destination);

private:
  std::filesystem::path m_path;
  std::filesystem::path m_lock_path;
  std::optional<platform::FileLock> m_lock;
  bool m_committed = false;
};

class Store {
public:
  explicit Store(Layout layout);

  const Layout& layout() const noexcept { return m_layout; }

  // Claims $XTC_HOME (store/home.hpp) and creates the directory skeleton;
  // throws when it is someone else's directory or not writable.
  void ensure_layout() const;

  enum class Sweep { remove, measure };
  // Removes staging directories whose owner is gone (lock free), or with
  // Sweep::measure only adds them up. Returns their bytes. Never touches a
  // directory another process is filling, nor anything in tmp/ that is not
  // named like a staging directory, nor a home that is not xtc's (throws).
  std::uint64_t sweep_staging(Sweep mode = Sweep::remove) const;

  // What the store's file system does with case and links, probed in a
  // staging directory. Throws xtc::Error, naming the fix, when it cannot
  // hold a toolchain (no symlinks: FAT, some network shares).
  platform::FileSystemTraits probe_file_system() const;

  // True when toolchains/<id> holds a committed install.
  bool is_installed(std::string_view id) const;

  // Writes the receipt into a staging directory (before commit).
  static void write_receipt(const std::filesystem::path& dir,
                            const Receipt& receipt);
  // Reads toolchains/<id>/receipt.toml; nullopt when not installed. Throws
  // xtc::Error when the receipt exists but is damaged.
  std::optional<Receipt> read_receipt(std::string_view id) const;

  // The receipt's files that are no longer under toolchains/<id> (deleted
  // or replaced by something that is not a file), in receipt order.
  std::vector<std::string> missing_files(const Receipt& receipt) const;

  // Ids of committed installs, sorted.
  std::vector<std::string> installed_ids() const;

  // Removes toolchains/<id> (renamed into tmp/ first, so a crash mid-way
  // leaves garbage for the sweep, never half an install under its name).
  void remove_install(std::string_view id) const;

private:
  Layout m_layout;
};

} // namespace xtc::store
