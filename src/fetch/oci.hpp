// oci:// artifact URLs and the parts of the OCI distribution API that xtc
// speaks: where a blob lives ("oci://<registry>/<repository>@sha256:<hex>"
// names GET https://<registry>/v2/<repository>/blobs/sha256:<hex>), the
// WWW-Authenticate challenge a registry answers with 401, and the token its
// realm hands out. Pure functions over strings; the requests are made by
// transfer.cpp and registry_auth.cpp.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace xtc::fetch {

struct OciBlob {
  std::string registry;   // host[:port], lower-case
  std::string repository; // "team/toolchains"
  std::string digest;     // "sha256:<64 hex digits>"
};

bool is_oci_url(std::string_view url);

// Parses "oci://<registry>/<repository>@sha256:<hex>". Throws xtc::Error
// "invalid oci:// URL '<url>': <why>" for anything else: a registry that is
// not a host name or address with an optional port, a repository outside
// the distribution spec's grammar, a digest that is not sha256.
OciBlob parse_oci_url(std::string_view url);

// "oci://<registry>/<repository>@<digest>"
std::string oci_url(const OciBlob& blob);

// The registry's base URL: "https://<registry>/v2/<repository>/".
std::string repository_endpoint(std::string_view registry,
                                std::string_view repository);

// "https://<registry>/v2/<repository>/blobs/<digest>"
std::string blob_endpoint(const OciBlob& blob);

// "repository:<repository>:pull" (or "pull,push").
std::string repository_scope(std::string_view repository, bool push);

// One challenge of a WWW-Authenticate header (RFC 7235): the scheme in
// lower case ("bearer", "basic") and its auth-params, names in lower case.
struct Challenge {
  std::string scheme;
  std::map<std::string, std::string, std::less<>> params;
};

// The first challenge of a WWW-Authenticate value; nullopt when it does not
// parse.
std::optional<Challenge> parse_challenge(std::string_view header);

// The URL a Bearer challenge sends the client to for a token:
// "<realm>?service=<service>&scope=<scope>", values percent-encoded. Throws
// xtc::Error when the challenge has no realm.
std::string token_url(const Challenge& challenge, std::string_view scope);

struct Token {
  std::string value;
  std::chrono::seconds lifetime{60}; // the spec's default
};

// Reads a token endpoint's JSON answer ("token" or "access_token", and
// "expires_in"). Throws xtc::Error naming `realm` when it holds no token.
Token parse_token_response(std::string_view json, std::string_view realm);

} // namespace xtc::fetch
