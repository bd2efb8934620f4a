#include "fetch/oci.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace xtc::fetch {
namespace {

constexpr std::string_view k_scheme = "oci://";
constexpr std::string_view k_sha256 = "sha256:";

bool is_lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool is_hex(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
}

// One path component of a repository name: alphanumeric runs joined by
// '.', '_', "__" or any run of '-' (the distribution spec's grammar).
bool is_name_component(std::string_view part) {
  if (part.empty() || !is_lower_alnum(part.front()) ||
      !is_lower_alnum(part.back())) {
    return false;
  }
  for (std::size_t i = 0; i < part.size();) {
    if (is_lower_alnum(part[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < part.size() && !is_lower_alnum(part[end])) {
      ++end;
    }
    const std::string_view separator = part.substr(i, end - i);
    const bool dashes = separator.find_first_not_of('-') == std::string::npos;
    if (separator != "." && separator != "_" && separator != "__" && !dashes) {
      return false;
    }
    i = end;
  }
  return true;
}

bool is_repository(std::string_view repository) {
  return !repository.empty() && repository.size() <= 255 &&
         std::ranges::all_of(split(repository, '/'), [](const std::string& p) {
           return is_name_component(p);
         });
}

// host[:port], where host is a DNS name, an IPv4 address or a bracketed
// IPv6 address: nothing that could smuggle a user, path or query into the
// https:// URL built from it.
bool is_registry(std::string_view registry) {
  std::string_view host = registry;
  std::string_view port;
  if (host.starts_with('[')) {
    const std::size_t close = host.find(']');
    if (close == std::string_view::npos) {
      return false;
    }
    const std::string_view inside = host.substr(1, close - 1);
    if (inside.empty() ||
        inside.find_first_not_of("0123456789abcdef:.") != std::string::npos) {
      return false;
    }
    const std::string_view rest = host.substr(close + 1);
    if (!rest.empty() && !rest.starts_with(':')) {
      return false;
    }
    port = rest.empty() ? std::string_view() : rest.substr(1);
    if (!rest.empty() && port.empty()) {
      return false;
    }
  } else {
    const std::size_t colon = host.find(':');
    if (colon != std::string_view::npos) {
      port = host.substr(colon + 1);
      host = host.substr(0, colon);
      if (port.empty()) {
        return false;
      }
    }
    if (host.empty() || host.front() == '.' || host.front() == '-' ||
        host.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-") !=
            std::string_view::npos) {
      return false;
    }
  }
  return port.size() <= 5 &&
         port.find_first_not_of("0123456789") == std::string_view::npos;
}

std::string percent_encode(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || c == '-' || c == '_' || c == '.' ||
        c == '~') {
      out += c;
    } else {
      out += fmt::format("%{:02X}", byte);
    }
  }
  return out;
}

[[noreturn]] void fail(std::string_view url, std::string_view why) {
  throw Error(fmt::format("invalid oci:// URL '{}': {}", url, why),
              "write it as oci://<registry>/<repository>@sha256:<digest>, "
              "e.g. oci://ghcr.io/team/toolchains@sha256:<64 hex digits>");
}

} // namespace

bool is_oci_url(std::string_view url) { return url.starts_with(k_scheme); }

OciBlob parse_oci_url(std::string_view url) {
  if (!is_oci_url(url)) {
    fail(url, "it does not start with oci://");
  }
  const std::string_view rest = url.substr(k_scheme.size());
  const std::size_t slash = rest.find('/');
  const std::size_t at = rest.rfind('@');
  if (slash == std::string_view::npos || at == std::string_view::npos ||
      at < slash) {
    fail(url, "expected <registry>/<repository>@<digest>");
  }
  OciBlob blob;
  blob.registry = to_lower(rest.substr(0, slash));
  blob.repository = std::string(rest.substr(slash + 1, at - slash - 1));
  blob.digest = std::string(rest.substr(at + 1));
  if (!is_registry(blob.registry)) {
    fail(url, fmt::format("'{}' is not a registry host[:port]",
                          rest.substr(0, slash)));
  }
  if (!is_repository(blob.repository)) {
    fail(url, fmt::format("'{}' is not a repository name (lower-case "
                          "letters, digits and . _ - separators)",
                          blob.repository));
  }
  const std::string_view hex =
      std::string_view(blob.digest)
          .substr(std::min(blob.digest.size(), k_sha256.size()));
  if (!blob.digest.starts_with(k_sha256) || hex.size() != 64 || !is_hex(hex)) {
    fail(url, fmt::format("the digest '{}' is not sha256:<64 lower-case hex "
                          "digits>",
                          blob.digest));
  }
  return blob;
}

std::string oci_url(const OciBlob& blob) {
  return fmt::format("{}{}/{}@{}", k_scheme, blob.registry, blob.repository,
                     blob.digest);
}

std::string repository_endpoint(std::string_view registry,
                                std::string_view repository) {
  return fmt::format("https://{}/v2/{}/", registry, repository);
}

std::string blob_endpoint(const OciBlob& blob) {
  return repository_endpoint(blob.registry, blob.repository) + "blobs/" +
         blob.digest;
}

std::string repository_scope(std::string_view repository, bool push) {
  return fmt::format("repository:{}:{}", repository,
                     push ? "pull,push" : "pull");
}

std::optional<Challenge> parse_challenge(std::string_view header) {
  header = trim(header);
  const std::size_t space = header.find(' ');
  Challenge challenge;
  challenge.scheme = to_lower(header.substr(0, space));
  if (challenge.scheme.empty() ||
      challenge.scheme.find_first_of("=,\"") != std::string::npos) {
    return std::nullopt;
  }
  std::string_view rest = space == std::string_view::npos
                              ? std::string_view()
                              : header.substr(space);
  while (true) {
    rest = trim(rest);
    if (rest.empty()) {
      return challenge;
    }
    const std::size_t eq = rest.find('=');
    if (eq == std::string_view::npos) {
      // Another challenge ("Basic realm=…, Bearer …") or a token68: only
      // the first challenge's parameters are read.
      return challenge;
    }
    const std::string name = to_lower(trim(rest.substr(0, eq)));
    if (name.find_first_of(" ,\"") != std::string::npos) {
      return challenge;
    }
    rest = trim(rest.substr(eq + 1));
    std::string value;
    if (rest.starts_with('"')) {
      std::size_t i = 1;
      for (; i < rest.size() && rest[i] != '"'; ++i) {
        if (rest[i] == '\\' && i + 1 < rest.size()) {
          ++i;
        }
        value += rest[i];
      }
      if (i >= rest.size()) {
        return std::nullopt; // an unterminated quoted string
      }
      rest = rest.substr(i + 1);
    } else {
      const std::size_t comma = rest.find(',');
      value = std::string(trim(rest.substr(0, comma)));
      rest = comma == std::string_view::npos ? std::string_view()
                                             : rest.substr(comma);
    }
    challenge.params.emplace(name, std::move(value));
    rest = trim(rest);
    if (rest.starts_with(',')) {
      rest.remove_prefix(1);
    }
  }
}

std::string token_url(const Challenge& challenge, std::string_view scope) {
  const auto realm = challenge.params.find("realm");
  if (realm == challenge.params.end() || realm->second.empty()) {
    throw Error("the registry's Bearer challenge names no realm",
                "the registry is misconfigured; ask its operators");
  }
  std::string url = realm->second;
  char separator = url.find('?') == std::string::npos ? '?' : '&';
  if (const auto service = challenge.params.find("service");
      service != challenge.params.end()) {
    url +=
        fmt::format("{}service={}", separator, percent_encode(service->second));
    separator = '&';
  }
  url += fmt::format("{}scope={}", separator, percent_encode(scope));
  return url;
}

Token parse_token_response(std::string_view json, std::string_view realm) {
  const nlohmann::json doc = nlohmann::json::parse(json, nullptr, false);
  Token token;
  if (doc.is_object()) {
    for (const char* key : {"token", "access_token"}) {
      if (const auto it = doc.find(key); it != doc.end() && it->is_string() &&
                                         !it->get<std::string>().empty()) {
        token.value = it->get<std::string>();
        break;
      }
    }
    if (const auto it = doc.find("expires_in");
        it != doc.end() && it->is_number_integer()) {
      // At least a minute (the spec's floor), at most a day.
      token.lifetime = std::chrono::seconds(
          std::clamp<std::int64_t>(it->get<std::int64_t>(), 60, 86400));
    }
  }
  // A token is sent in a header: nothing may break out of it.
  const bool printable =
      std::all_of(token.value.begin(), token.value.end(), [](char c) {
        return static_cast<unsigned char>(c) > ' ' && c != '\x7f';
      });
  if (token.value.empty() || !printable) {
    throw Error(fmt::format("the token service '{}' answered without a "
                            "usable token",
                            realm),
                "the registry's token service is misconfigured; ask its "
                "operators");
  }
  return token;
}

} // namespace xtc::fetch
