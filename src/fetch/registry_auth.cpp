#include "fetch/registry_auth.hpp"

#include "base/base64.hpp"
#include "base/diagnostics.hpp"
#include "base/error.hpp"
#include "fetch/download.hpp"
#include "fetch/oci.hpp"
#include "fetch/transfer.hpp"
#include "fetch/url.hpp"

#include <algorithm>

namespace xtc::fetch {
namespace {

// Credentials from a config do not expire while xtc runs.
constexpr auto k_forever = std::chrono::hours(24 * 365);

std::string cache_key(std::string_view registry, std::string_view scope) {
  return fmt::format("{} {}", registry, scope);
}

std::string login_hint(std::string_view registry) {
  return fmt::format("run 'docker login {}', or set "
                     "XTC_REGISTRY_AUTH=user:password",
                     registry);
}

std::string basic_header(const RegistryCredentials& credentials) {
  return "Basic " + base64_encode(fmt::format("{}:{}", credentials.user,
                                              credentials.secret));
}

// A token is used a little before it runs out, so a request does not race
// its expiry.
std::chrono::steady_clock::time_point expiry_of(std::chrono::seconds lifetime) {
  const auto margin =
      std::min<std::chrono::seconds>(std::chrono::seconds(30), lifetime / 4);
  return std::chrono::steady_clock::now() + lifetime - margin;
}

} // namespace

RegistryAuth::RegistryAuth(Env env) : m_env(std::move(env)) {}

std::string RegistryAuth::cached(std::string_view registry,
                                 std::string_view scope) {
  const std::lock_guard lock(m_mutex);
  const auto it = m_cache.find(cache_key(registry, scope));
  if (it == m_cache.end() ||
      it->second.expires <= std::chrono::steady_clock::now()) {
    return {};
  }
  return it->second.header;
}

const std::optional<RegistryCredentials>&
RegistryAuth::credentials(std::string_view registry) {
  auto it = m_credentials.find(registry);
  if (it == m_credentials.end()) {
    it = m_credentials
             .emplace(std::string(registry),
                      find_registry_credentials(registry, m_env))
             .first;
  }
  return it->second;
}

std::string RegistryAuth::answer(std::string_view registry,
                                 std::string_view scope,
                                 std::string_view challenge_text,
                                 std::string_view refused,
                                 const Options& options) {
  const std::optional<Challenge> challenge = parse_challenge(challenge_text);
  if (!challenge) {
    throw Error(fmt::format("registry '{}' answered 401 Unauthorized "
                            "without a challenge xtc understands",
                            registry),
                "the registry must answer with WWW-Authenticate: Bearer or "
                "Basic; ask its operators");
  }
  const std::lock_guard lock(m_mutex);
  const std::string key = cache_key(registry, scope);
  // Another download may have answered the same challenge meanwhile.
  if (const auto it = m_cache.find(key);
      it != m_cache.end() && it->second.header != refused &&
      it->second.expires > std::chrono::steady_clock::now()) {
    return it->second.header;
  }
  m_cache.erase(key);

  std::string header;
  if (challenge->scheme == "basic") {
    const std::optional<RegistryCredentials>& found = credentials(registry);
    if (!found) {
      throw Error(
          fmt::format("registry '{}' needs a user name and password", registry),
          login_hint(registry));
    }
    header = basic_header(*found);
    if (header == refused) {
      throw Error(fmt::format("registry '{}' refused the credentials from {}",
                              registry, found->origin),
                  login_hint(registry));
    }
    m_cache[key] = Cached{header, std::chrono::steady_clock::now() + k_forever};
    return header;
  }
  if (challenge->scheme != "bearer") {
    throw Error(fmt::format("registry '{}' asks for '{}' authentication, "
                            "which xtc does not speak",
                            registry, challenge->scheme),
                "OCI registries use Bearer tokens or Basic credentials; ask "
                "its operators");
  }
  return bearer(registry, scope, *challenge, refused, options);
}

std::string RegistryAuth::bearer(std::string_view registry,
                                 std::string_view scope,
                                 const Challenge& challenge,
                                 std::string_view refused,
                                 const Options& options) {
  const std::string key = cache_key(registry, scope);
  if (const auto token = m_env.get("XTC_REGISTRY_TOKEN")) {
    std::string header = "Bearer " + *token;
    if (header == refused) {
      throw Error(fmt::format("registry '{}' refused the token in "
                              "XTC_REGISTRY_TOKEN",
                              registry),
                  "set XTC_REGISTRY_TOKEN to a token with pull access, or "
                  "unset it to log in with the Docker config's credentials");
    }
    m_cache[key] = Cached{header, std::chrono::steady_clock::now() + k_forever};
    return header;
  }
  // The registry's own scope wins: it knows what the request needs.
  const auto asked = challenge.params.find("scope");
  const std::string token_scope =
      asked != challenge.params.end() && !asked->second.empty()
          ? asked->second
          : std::string(scope);
  TransferSpec spec;
  spec.urls = {token_url(challenge, token_scope)};
  check_url_allowed(spec.urls.front());
  spec.no_cache = true;
  const std::optional<RegistryCredentials>& found = credentials(registry);
  if (found) {
    spec.authorization = basic_header(*found);
  }
  diag::verbose(fmt::format(
      "asking '{}' for a token for {} ({})", spec.urls.front(), token_scope,
      found ? "with the credentials from " + found->origin : "anonymous"));
  std::string answer;
  try {
    answer = transfer_text(spec, options);
  } catch (const Error& error) {
    throw Error(fmt::format("cannot get a token for '{}' from registry '{}': "
                            "{}",
                            token_scope, registry, error.what()),
                found ? fmt::format("check the credentials from {}; {}",
                                    found->origin, login_hint(registry))
                      : login_hint(registry));
  }
  const Token token = parse_token_response(answer, spec.urls.front());
  std::string header = "Bearer " + token.value;
  if (header == refused) {
    throw Error(fmt::format("registry '{}' refused the token its token "
                            "service issued for {}",
                            registry, token_scope),
                found ? fmt::format("the credentials from {} lack pull "
                                    "access; {}",
                                    found->origin, login_hint(registry))
                      : login_hint(registry));
  }
  m_cache[key] = Cached{header, expiry_of(token.lifetime)};
  return header;
}

} // namespace xtc::fetch
