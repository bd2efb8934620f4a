#include "store/store.hpp"

#include "base/error.hpp"
#include "platform/atomic_file.hpp"
#include "platform/fd.hpp"
#include "platform/fs.hpp"
#include "store/home.hpp"
#include "store/toml_file.hpp"

#include <toml++/toml.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sstream>

namespace xtc::store {
namespace {

constexpr std::string_view k_receipt = "receipt.toml";
// Every staging directory's name starts with this, and a sweep looks at
// nothing else in tmp/.
constexpr std::string_view k_staging_prefix = "xtc-stage.";
constexpr std::string_view k_lock_suffix = ".lock";
// Creating a staging directory (mkdtemp, then its lock file, then the flock)
// holds this lock shared; a sweep holds it exclusive. So a sweep never sees a
// directory in the instant before its owner locks it: whatever it finds
// unlocked has lost its owner.
constexpr std::string_view k_creation_lock = "staging";

} // namespace

Staging::Staging(const Layout& layout, std::string_view prefix) {
  const platform::FileLock creating = platform::FileLock::acquire(
      layout.lock(k_creation_lock), platform::FileLock::Mode::shared);
  platform::make_directories(layout.tmp(), "staging directory");
  platform::TempDir dir(layout.tmp(),
                        std::string(k_staging_prefix) + std::string(prefix));
  m_lock_path = dir.path().string() + std::string(k_lock_suffix);
  m_lock = platform::FileLock::acquire(m_lock_path,
                                       platform::FileLock::Mode::exclusive);
  m_path = dir.release();
}

Staging::~Staging() {
  if (!m_committed && !m_path.empty()) {
    try {
      platform::remove_tree(m_path, "staging directory");
    } catch (const Error&) {
      // Left for the next run's sweep; a destructor must not throw.
    }
  }
  ::unlink(m_lock_path.c_str());
}

void Staging::commit(const std::filesystem::path& destination) {
  platform::make_directories(destination.parent_path(), "directory");
  platform::rename_path(m_path, destination, "staged install");
  m_committed = true;
  platform::sync_directory(destination.parent_path());
}

Store::Store(Layout layout) : m_layout(std::move(layout)) {}

void Store::ensure_layout() const {
  claim_home(m_layout);
  for (const auto& dir :
       {m_layout.bin(), m_layout.toolchains(), m_layout.targets(),
        m_layout.cache(), m_layout.locks(), m_layout.tmp()}) {
    platform::make_directories(dir, "xtc home directory");
  }
}

std::uint64_t Store::sweep_staging(Sweep mode) const {
  if (!owns_home(m_layout) || !platform::path_exists(m_layout.locks())) {
    return 0;
  }
  const platform::FileLock sweeping = platform::FileLock::acquire(
      m_layout.lock(k_creation_lock), platform::FileLock::Mode::exclusive);
  std::uint64_t freed = 0;
  for (const std::string& name : platform::list_directory(m_layout.tmp())) {
    const std::filesystem::path path = m_layout.tmp() / name;
    if (!name.starts_with(k_staging_prefix) || name.ends_with(k_lock_suffix)) {
      continue;
    }
    const std::filesystem::path lock_path =
        path.string() + std::string(k_lock_suffix);
    // No lock file: its owner was killed between mkdtemp and the lock. A free
    // lock: killed later. (Sweeps are serialised by the creation lock, so
    // the lock need not be held while the tree goes.)
    if (platform::path_exists(lock_path) &&
        !platform::FileLock::try_acquire(lock_path,
                                         platform::FileLock::Mode::exclusive)) {
      continue; // a live process owns it
    }
    freed += platform::tree_size(path);
    if (mode == Sweep::remove) {
      platform::remove_tree(path, "stale staging directory");
      ::unlink(lock_path.c_str());
    }
  }
  if (mode == Sweep::measure) {
    return freed;
  }
  // Lock files whose directory is gone (the owner committed or was killed
  // after removing it) are garbage too, once free.
  for (const std::string& name : platform::list_directory(m_layout.tmp())) {
    const std::filesystem::path path = m_layout.tmp() / name;
    if (name.starts_with(k_staging_prefix) && name.ends_with(k_lock_suffix) &&
        !platform::path_exists(path.string().substr(
            0, path.string().size() - k_lock_suffix.size()))) {
      if (auto lock = platform::FileLock::try_acquire(
              path, platform::FileLock::Mode::exclusive)) {
        ::unlink(path.c_str());
      }
    }
  }
  return freed;
}

platform::FileSystemTraits Store::probe_file_system() const {
  const Staging probe(m_layout, "probe-");
  const platform::FileSystemTraits traits =
      platform::probe_file_system(probe.path());
  if (!traits.symlinks) {
    throw Error(fmt::format("xtc home '{}' is on a file system that cannot "
                            "hold symlinks, which every toolchain has",
                            m_layout.root().string()),
                "set XTC_HOME to a directory on another file system (APFS, "
                "HFS+, ext4, XFS, btrfs), e.g. the default ~/.xtc");
  }
  return traits;
}

bool Store::is_installed(std::string_view id) const {
  return platform::path_exists(m_layout.toolchain(id) / k_receipt);
}

void Store::write_receipt(const std::filesystem::path& dir,
                          const Receipt& receipt) {
  toml::array files;
  for (const std::string& file : receipt.files) {
    files.push_back(file);
  }
  toml::array digests;
  for (const std::string& digest : receipt.file_sha256) {
    digests.push_back(digest);
  }
  const toml::table table{
      {"id", receipt.id},
      {"kind", receipt.kind},
      {"version", receipt.version},
      {"sha256", receipt.sha256},
      {"url", receipt.url},
      {"bytes", static_cast<std::int64_t>(receipt.bytes)},
      {"files", std::move(files)},
      {"file_sha256", std::move(digests)},
  };
  std::ostringstream out;
  out << "# Written by xtc when this artifact was installed.\n"
      << table << '\n';
  platform::write_file_atomic(dir / k_receipt, out.str(), "install receipt");
}

std::optional<Receipt> Store::read_receipt(std::string_view id) const {
  const std::filesystem::path path = m_layout.toolchain(id) / k_receipt;
  const std::optional<std::string> text =
      platform::read_file_if_exists(path, "install receipt");
  if (!text) {
    return std::nullopt;
  }
  const toml::table table = parse_own_toml(
      *text, path, "install receipt",
      "remove the damaged install with 'xtc target remove', then add it again");
  Receipt receipt;
  receipt.id = table["id"].value_or(std::string(id));
  receipt.kind = table["kind"].value_or(std::string());
  receipt.version = table["version"].value_or(std::string());
  receipt.sha256 = table["sha256"].value_or(std::string());
  receipt.url = table["url"].value_or(std::string());
  receipt.bytes =
      static_cast<std::uint64_t>(table["bytes"].value_or(std::int64_t{0}));
  if (const toml::array* files = table["files"].as_array()) {
    for (const toml::node& file : *files) {
      receipt.files.push_back(file.value_or(std::string()));
    }
  }
  if (const toml::array* digests = table["file_sha256"].as_array()) {
    for (const toml::node& digest : *digests) {
      receipt.file_sha256.push_back(digest.value_or(std::string()));
    }
  }
  return receipt;
}

std::vector<std::string> Store::missing_files(const Receipt& receipt) const {
  const std::filesystem::path root = m_layout.toolchain(receipt.id);
  std::vector<std::string> missing;
  for (const std::string& file : receipt.files) {
    // A receipt lists regular files only; lstat so that a symlink left in
    // a file's place does not pass for it.
    std::error_code ec;
    if (!std::filesystem::is_regular_file(
            std::filesystem::symlink_status(root / file, ec))) {
      missing.push_back(file);
    }
  }
  return missing;
}

std::vector<std::string> Store::installed_ids() const {
  std::vector<std::string> ids;
  for (const std::string& name :
       platform::list_directory(m_layout.toolchains())) {
    if (is_installed(name)) {
      ids.push_back(name);
    }
  }
  return ids;
}

void Store::remove_install(std::string_view id) const {
  const std::filesystem::path path = m_layout.toolchain(id);
  if (!owns_home(m_layout) || !platform::path_exists(path)) {
    return;
  }
  // Take the name away in one step, then delete at leisure: the staging
  // wrapper's destructor removes the renamed tree.
  Staging graveyard(m_layout, "remove-");
  platform::rename_path(path, graveyard.path() / "tree", "installed toolchain");
}

} // namespace xtc::store
