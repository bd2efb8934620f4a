// The project's pin file (xtc.toml) as the CLI reads it for `xtc install`
// and `xtc show`. Three checks, so the CLI never installs something the
// shims would read differently:
//   1. the shim's strict reader (shim/pin_file) decides what is readable;
//   2. toml++ reads the same text and must find the same pins;
//   3. each key must be a target xtc knows, spelled as its GNU name (what
//      the shims are called and look themselves up by), and a libc_version
//      only for glibc targets.
#pragma once

#include "manifest/manifest.hpp"
#include "shim/pin_file.hpp"
#include "triple/triple.hpp"

#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

namespace xtc::install {

struct PinnedTarget {
  shim::Pin pin;
  triple::Triple target; // libc_version set from the pin
  std::optional<manifest::Flavor> flavor;
  std::optional<std::string> producer = {};
};

struct Pins {
  std::filesystem::path path;
  std::vector<PinnedTarget> targets; // in file order
};

// The pins toml++ reads from text, sorted by target. Throws xtc::Error on a
// TOML syntax error and on anything outside the documented form (other
// tables or keys, values that are not strings, unknown flavors).
std::vector<shim::Pin> read_pins_as_toml(std::string_view text,
                                         const std::filesystem::path& path);

// Parses a pin file's text with all three checks; throws xtc::Error naming
// the file, the target and what to write instead.
Pins parse_pins(std::string_view text, const std::filesystem::path& path);

// Reads and parses the pin file at path.
Pins load_pins(const std::filesystem::path& path);

} // namespace xtc::install
