// The path policy for archive entries, as pure string work (no I/O, no
// libarchive): an entry's name becomes a relative path of normal components
// under the destination root, or a reason to refuse the whole archive.
// Invariants: an accepted path never contains "", "." or ".." components and
// never starts at "/"; an accepted symlink target, followed from the link's
// own directory, never leaves the root, whatever other symlinks it crosses.
#pragma once

#include "base/error.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace xtc::unpack {

// A normalised path relative to the destination root.
struct RelPath {
  std::vector<std::string> parts; // normal names only, never empty
  std::string text;               // parts joined with '/'
};

// What the policy says about one name.
struct NameVerdict {
  RelPath path;         // valid when accepted (reason empty, not skipped)
  std::string reason;   // why the entry is refused; empty when acceptable
  bool skipped = false; // stripped away entirely: nothing to write
};

// Judges an entry name: refuses absolute names, any ".." component and empty
// names, then drops the first `strip` components (counted as `tar
// --strip-components` counts them, "." included) and normalises "./" and
// repeated slashes in the rest. Entries with no component left are skipped.
NameVerdict judge_name(std::string_view name, unsigned strip);

// Returns why a symlink at `link` with `target` is refused, or "" when the
// target stays inside the root: relative, not empty, climbing with leading
// ".." no higher than the root, and never ".." after a name (which would
// climb out of wherever another symlink leads).
std::string symlink_target_problem(const RelPath& link,
                                   std::string_view target);

// The error for a refused entry: "unsafe archive '<archive>': entry '<name>'
// <reason>", with the hint that nothing was installed.
Error unsafe_entry(const std::filesystem::path& archive, std::string_view name,
                   std::string_view reason);

} // namespace xtc::unpack
