#include "store/gc.hpp"

#include "platform/file_lock.hpp"
#include "platform/fs.hpp"

#include <sys/stat.h>

#include <set>
#include <string>

namespace xtc::store {

Collected collect_garbage(const Store& store, Store::Sweep mode) {
  const Layout& layout = store.layout();
  Collected collected;
  if (!platform::path_exists(layout.root())) {
    return collected;
  }
  const platform::FileLock lock = platform::FileLock::acquire(
      layout.lock("cache"), platform::FileLock::Mode::exclusive);

  // Every receipt is read before anything is removed: a damaged one stops
  // the collection instead of losing the archive it would have named.
  std::set<std::string> referenced;
  for (const std::string& id : store.installed_ids()) {
    if (const std::optional<Receipt> receipt = store.read_receipt(id)) {
      referenced.insert(receipt->sha256);
    }
  }
  for (const std::string& name : platform::list_directory(layout.cache())) {
    const std::filesystem::path path = layout.cache() / name;
    if (name.ends_with(".part")) {
      // A download in progress holds a flock on its .part.
      if (!platform::FileLock::try_acquire(
              path, platform::FileLock::Mode::exclusive)) {
        continue;
      }
    } else if (referenced.count(name) != 0) {
      continue;
    }
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
      collected.bytes += static_cast<std::uint64_t>(st.st_size);
    } else {
      collected.bytes += platform::tree_size(path);
    }
    if (mode == Store::Sweep::remove) {
      platform::remove_tree(path, "cache entry");
    }
    ++collected.downloads;
  }
  collected.staging_bytes = store.sweep_staging(mode);
  collected.bytes += collected.staging_bytes;
  return collected;
}

} // namespace xtc::store
