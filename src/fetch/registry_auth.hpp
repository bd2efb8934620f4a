// Who xtc is to an OCI registry: the answer to its 401 challenge, and the
// tokens it handed out, cached per registry and scope for their lifetime.
// "Basic" challenges (an htpasswd registry) get the configured credentials;
// "Bearer" challenges send xtc to the realm for a token, with the
// credentials when there are any and anonymously otherwise, unless
// XTC_REGISTRY_TOKEN gives the token outright (as HOMEBREW_DOCKER_REGISTRY_
// TOKEN does for Homebrew). Shared by the downloads of one process, which
// may run on several threads. Credentials and tokens never appear in a
// message, a progress line or --verbose output.
#pragma once

#include "base/env.hpp"
#include "fetch/registry_credentials.hpp"

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace xtc::fetch {

struct Options;

class RegistryAuth {
public:
  explicit RegistryAuth(Env env);

  // The Authorization header value for a request to `registry` within
  // `scope`: a token or credentials that were accepted before and have not
  // expired; empty when there are none yet (the first request goes out
  // anonymous and draws the challenge).
  std::string cached(std::string_view registry, std::string_view scope);

  // Answers a 401 whose WWW-Authenticate header was `challenge`, for a
  // request that carried `refused` (empty: no Authorization). Returns the
  // header value for the next request. Throws xtc::Error when there is
  // nothing else to send: no credentials for a Basic challenge, the same
  // credentials or token refused again, the token service refusing or
  // unreachable.
  std::string answer(std::string_view registry, std::string_view scope,
                     std::string_view challenge, std::string_view refused,
                     const Options& options);

private:
  struct Cached {
    std::string header;
    std::chrono::steady_clock::time_point expires;
  };

  const std::optional<RegistryCredentials>&
  credentials(std::string_view registry);
  std::string bearer(std::string_view registry, std::string_view scope,
                     const struct Challenge& challenge,
                     std::string_view refused, const Options& options);

  Env m_env;
  std::mutex m_mutex;
  std::map<std::string, Cached, std::less<>> m_cache; // "<registry> <scope>"
  std::map<std::string, std::optional<RegistryCredentials>, std::less<>>
      m_credentials;
};

} // namespace xtc::fetch
