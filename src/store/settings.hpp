// $XTC_HOME/config.toml: what a user sets once for every command, rather
// than in the environment each time. Every key is optional:
//
//   channel = "https://example.com/xtc/xtc.toml"   # what `xtc update`
//                                                  # fetches (XTC_CHANNEL
//                                                  # wins over it)
//
// The file is the user's: xtc reads it and never writes it.
#pragma once

#include "store/layout.hpp"

#include <optional>
#include <string>

namespace xtc::store {

struct Settings {
  std::optional<std::string> channel;
};

// Reads the settings; all unset when there is no file. Throws xtc::Error
// naming the file and the key when it is not TOML, a key has the wrong
// type, or a key is unknown (a typo would otherwise be ignored silently).
Settings read_settings(const Layout& layout);

} // namespace xtc::store
