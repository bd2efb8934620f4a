// Reads one [[artifact]] table of a manifest into an Artifact, internal to
// manifest/. Every key is checked for type, range and consistency with the
// other keys before the Artifact exists; unknown keys are rejected so a typo
// never silently drops a setting.
#pragma once

#include "manifest/manifest.hpp"

#include <toml++/toml.h>

#include <cstddef>
#include <string_view>

namespace xtc::manifest::detail {

// Returns the artifact described by `node`, the `number`th (1-based) of the
// manifest read from `source`. Throws xtc::Error naming the artifact and key.
Artifact parse_artifact(const toml::node& node, std::size_t number,
                        std::string_view source);

} // namespace xtc::manifest::detail
