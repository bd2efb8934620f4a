// Where a registry's credentials come from, in the order they are looked
// up: XTC_REGISTRY_AUTH ("user:password", for every registry xtc talks to),
// then the Docker client's config ($DOCKER_CONFIG/config.json, else
// ~/.docker/config.json): a credHelpers entry for the registry (runs
// docker-credential-<name> get), its "auths" entry (base64 "user:password"),
// then credsStore. The secrets live in memory only: nothing here prints,
// logs or writes them, and no message quotes one.
#pragma once

#include "base/env.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace xtc::fetch {

struct RegistryCredentials {
  std::string user;
  std::string secret;
  std::string origin; // where they came from, for messages: "~/.docker/…"
};

// The credentials for `registry` (host[:port]), or nullopt when none are
// configured. Throws xtc::Error when a source exists but cannot be used: a
// malformed config.json or auth entry, a credential helper that is missing
// or fails for another reason than "not found".
std::optional<RegistryCredentials>
find_registry_credentials(std::string_view registry, const Env& env);

// The registry a Docker config key names: "https://ghcr.io/v1/" and
// "ghcr.io" both give "ghcr.io".
std::string docker_config_registry(std::string_view key);

} // namespace xtc::fetch
