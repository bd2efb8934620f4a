// Garbage collection of $XTC_HOME: download cache entries that no installed
// artifact's receipt names, partial downloads nobody is loading, and
// staging directories whose owner is gone. It never removes what a running
// install may still use: it holds locks/cache.lock exclusively (every
// install holds it shared), skips a .part another process has locked, and
// leaves staging directories with a live owner alone.
#pragma once

#include "store/store.hpp"

#include <cstdint>

namespace xtc::store {

struct Collected {
  std::uint64_t bytes = 0;         // freed in total
  std::size_t downloads = 0;       // cache entries and partial downloads
  std::uint64_t staging_bytes = 0; // freed from staging directories
};

// Waits for running installs, then removes the garbage described above
// (with Store::Sweep::measure: finds it and removes nothing). Returns what
// it freed, or would free; throws xtc::Error when a receipt is damaged
// (then nothing is removed from the cache) or a file cannot be removed.
Collected collect_garbage(const Store& store,
                          Store::Sweep mode = Store::Sweep::remove);

} // namespace xtc::store
