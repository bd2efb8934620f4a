// Who owns $XTC_HOME. xtc writes and deletes only inside a directory it can
// prove is its own: one that carries the marker file `.xtc-home`, written
// when xtc creates the directory (or first uses an empty one). A directory
// that is not empty and has no marker (a mistyped XTC_HOME, XTC_HOME=$HOME)
// is refused with one error before anything is written or removed there,
// so no sweep, gc, uninstall or removal can ever reach a user's files.
//
// A home made by an xtc from before the marker is recognised only by a
// strict rule (the toolchains/, targets/ and locks/ directories xtc always
// made, and no entry xtc does not make) and is then marked.
#pragma once

#include "store/layout.hpp"

namespace xtc::store {

enum class HomeState {
  absent,  // nothing there yet
  marked,  // xtc's: carries the marker
  empty,   // an empty directory, free to take
  legacy,  // made by an xtc from before the marker
  foreign, // someone else's: never written to, never deleted from
};

// Looks at the root without changing anything. Throws xtc::Error when the
// root exists but is not a directory or cannot be read.
HomeState inspect_home(const Layout& layout);

// Makes the root xtc's before anything is written there: creates it with its
// marker, or marks an empty or legacy home. Throws xtc::Error naming the
// directory and the fix for a foreign one (and when it cannot be created).
void claim_home(const Layout& layout);

// Before anything is removed: false when there is no home (nothing to
// remove), true when it is xtc's (a legacy home is marked first). Throws
// the same error as claim_home for a foreign directory.
bool owns_home(const Layout& layout);

} // namespace xtc::store
