#include "fetch/registry_credentials.hpp"

#include "base/base64.hpp"
#include "base/error.hpp"
#include "base/strings.hpp"
#include "platform/fd.hpp"
#include "platform/process.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace xtc::fetch {
namespace {

// "user:password" split at the first ':'; nullopt without one.
std::optional<RegistryCredentials> split_pair(std::string_view pair,
                                              std::string origin) {
  const std::size_t colon = pair.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    return std::nullopt;
  }
  return RegistryCredentials{std::string(pair.substr(0, colon)),
                             std::string(pair.substr(colon + 1)),
                             std::move(origin)};
}

std::optional<std::filesystem::path> docker_config_path(const Env& env) {
  if (const auto dir = env.get("DOCKER_CONFIG")) {
    return std::filesystem::path(*dir) / "config.json";
  }
  if (const auto home = env.get("HOME")) {
    return std::filesystem::path(*home) / ".docker" / "config.json";
  }
  return std::nullopt;
}

// A helper's name becomes part of a program name: nothing that could reach
// another directory.
bool is_helper_name(std::string_view name) {
  return !name.empty() && name.size() <= 64 &&
         std::all_of(name.begin(), name.end(),
                     [](char c) {
                       return (c >= 'a' && c <= 'z') ||
                              (c >= 'A' && c <= 'Z') ||
                              (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                              c == '.';
                     }) &&
         name.front() != '.';
}

// Runs "docker-credential-<name> get" with the registry on stdin, as the
// Docker client does. nullopt when the helper has no entry for it.
std::optional<RegistryCredentials>
ask_helper(std::string_view name, std::string_view registry,
           const std::filesystem::path& config) {
  const std::string program = fmt::format("docker-credential-{}", name);
  if (!is_helper_name(name)) {
    throw Error(fmt::format("the Docker config '{}' names the credential "
                            "helper '{}', which is not a helper name",
                            config.string(), name),
                "fix the credHelpers or credsStore entry");
  }
  platform::RunResult result;
  try {
    result = platform::run_with_input({program, "get"}, registry);
  } catch (const Error&) {
    throw Error(
        fmt::format("the Docker config '{}' names the credential "
                    "helper '{}', and '{}' cannot be run",
                    config.string(), name, program),
        fmt::format("install {} or remove the entry from the config", program));
  }
  if (result.exit_code != 0) {
    // The helpers say "credentials not found in native keychain" (and exit
    // 1) for a registry they do not know: no credentials, not an error.
    if (to_lower(result.output).find("not found") != std::string::npos) {
      return std::nullopt;
    }
    throw Error(
        fmt::format("the credential helper '{}' failed for '{}' "
                    "(exit status {})",
                    program, registry, result.exit_code),
        fmt::format("run 'echo {} | {} get' to see why", registry, program));
  }
  const nlohmann::json answer =
      nlohmann::json::parse(result.output, nullptr, false);
  const auto text = [&](const char* key) -> std::string {
    if (!answer.is_object()) {
      return {};
    }
    const auto it = answer.find(key);
    return it != answer.end() && it->is_string() ? it->get<std::string>()
                                                 : std::string();
  };
  const std::string user = text("Username");
  const std::string secret = text("Secret");
  if (user.empty() || secret.empty()) {
    throw Error(fmt::format("the credential helper '{}' answered for '{}' "
                            "without a Username and Secret",
                            program, registry),
                fmt::format("run 'docker login {}' again", registry));
  }
  return RegistryCredentials{user, secret, program};
}

// The config's auths entry for registry: "auth" (base64 "user:password"),
// or "username" and "password".
std::optional<RegistryCredentials>
from_auths(const nlohmann::json& auths, std::string_view registry,
           const std::filesystem::path& config) {
  if (!auths.is_object()) {
    return std::nullopt;
  }
  for (const auto& [key, entry] : auths.items()) {
    if (docker_config_registry(key) != registry || !entry.is_object()) {
      continue;
    }
    const std::string origin = config.string();
    if (const auto auth = entry.find("auth");
        auth != entry.end() && auth->is_string() &&
        !auth->get<std::string>().empty()) {
      const auto bytes = base64_decode(auth->get<std::string>());
      const std::string pair =
          bytes ? std::string(bytes->begin(), bytes->end()) : std::string();
      auto credentials = split_pair(pair, origin);
      if (!credentials) {
        throw Error(fmt::format("the Docker config '{}' has an \"auth\" "
                                "entry for '{}' that is not base64 of "
                                "user:password",
                                origin, key),
                    fmt::format("run 'docker login {}' again", registry));
      }
      return credentials;
    }
    const auto user = entry.find("username");
    const auto password = entry.find("password");
    if (user != entry.end() && password != entry.end() && user->is_string() &&
        password->is_string() && !user->get<std::string>().empty()) {
      return RegistryCredentials{user->get<std::string>(),
                                 password->get<std::string>(), origin};
    }
  }
  return std::nullopt;
}

std::string string_member(const nlohmann::json& doc, const char* key) {
  const auto it = doc.find(key);
  return it != doc.end() && it->is_string() ? it->get<std::string>()
                                            : std::string();
}

} // namespace

std::string docker_config_registry(std::string_view key) {
  key = trim(key);
  for (std::string_view scheme : {"https://", "http://"}) {
    if (key.starts_with(scheme)) {
      key.remove_prefix(scheme.size());
    }
  }
  return to_lower(key.substr(0, key.find('/')));
}

std::optional<RegistryCredentials>
find_registry_credentials(std::string_view registry, const Env& env) {
  if (const auto pair = env.get("XTC_REGISTRY_AUTH")) {
    auto credentials = split_pair(*pair, "XTC_REGISTRY_AUTH");
    if (!credentials) {
      throw Error("XTC_REGISTRY_AUTH is not of the form user:password",
                  "set it to the registry user, a colon and the password "
                  "or access token");
    }
    return credentials;
  }
  const std::optional<std::filesystem::path> path = docker_config_path(env);
  if (!path) {
    return std::nullopt;
  }
  const std::filesystem::path& config = *path;
  const std::optional<std::string> text =
      platform::read_file_if_exists(config, "Docker config");
  if (!text) {
    return std::nullopt;
  }
  const nlohmann::json doc = nlohmann::json::parse(*text, nullptr, false);
  if (!doc.is_object()) {
    throw Error(fmt::format("the Docker config '{}' is not a JSON object",
                            config.string()),
                "fix the file, or set DOCKER_CONFIG to another directory");
  }
  if (const auto helpers = doc.find("credHelpers");
      helpers != doc.end() && helpers->is_object()) {
    for (const auto& [key, name] : helpers->items()) {
      if (docker_config_registry(key) == registry && name.is_string()) {
        return ask_helper(name.get<std::string>(), registry, config);
      }
    }
  }
  if (const auto auths = doc.find("auths"); auths != doc.end()) {
    if (auto credentials = from_auths(*auths, registry, config)) {
      return credentials;
    }
  }
  if (const std::string store = string_member(doc, "credsStore");
      !store.empty()) {
    return ask_helper(store, registry, config);
  }
  return std::nullopt;
}

} // namespace xtc::fetch
