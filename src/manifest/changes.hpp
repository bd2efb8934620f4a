// What changed between two manifests, for `xtc update` to say: which
// toolchains and sysroots a host can install were added or removed, and
// which moved to another version (or were rebuilt under the same one).
// Artifacts are matched by what they are, not by id: kind, flavor, target,
// host, producer and C library, so a new release under a new id is an
// update, not a removal and an addition.
#pragma once

#include "manifest/manifest.hpp"

#include <string>
#include <vector>

namespace xtc::manifest {

struct Change {
  enum class Kind { added, removed, updated };
  Kind kind = Kind::added;
  std::string what;   // "gcc toolchain for aarch64-linux-gnu from messense
                      // (x86_64-darwin)"
  std::string before; // "12.2.0, glibc 2.36"; empty when added
  std::string after;  // empty when removed; equal to before when rebuilt
};

struct Changes {
  std::vector<Change> here;  // artifacts for `host` (or any host)
  std::size_t elsewhere = 0; // changes that concern only other hosts
};

// The changes from `before` to `after`, for `host`, in `after`'s order
// (removals last, in `before`'s order).
Changes compare(const Manifest& before, const Manifest& after,
                const Host& host);

} // namespace xtc::manifest
