#include "store/gc.hpp"

#include "platform/file_lock.hpp"
#include "platform/fs.hpp"
#include "store/home.hpp"

#include <sys/stat.h>

#include <set>
#include <string>

namespace xtc::store {
namespace {

// What xtc puts in cache/: downloads named by their SHA-256, partial ones
// (<sha256>.part) and zig's compiler caches (zig/).
bool is_cache_name(std::string_view name) {
  if (name == "zig") {
    return true;
  }
  if (name.ends_with(".part")) {
    name.remove_suffix(5);
  }
  return name.size() == 64 &&
         name.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

} // namespace

Collected collect_garbage(const Store& store, Store::Sweep mode) {
  const Layout& layout = store.layout();
  Collected collected;
  if (!owns_home(layout) || !platform::path_exists(layout.locks())) {
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
    if (!is_cache_name(name)) {
      continue; // not something xtc put there
    }
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
