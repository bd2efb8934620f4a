#include "fetch/url.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"
#include "fetch/curl_handle.hpp"
#include "fetch/oci.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>

namespace xtc::fetch {
namespace {

struct UrlParts {
  std::string scheme;
  std::string host; // empty for file:// URLs
};

// libcurl's parser, not a hand-written one: tricks such as
// "http://127.0.0.1@evil.example/" or "http://evil.example#@127.0.0.1/" must
// yield the host libcurl will really connect to. It also normalises numeric
// IPv4 spellings ("127.1", "2130706433") to dotted quads.
UrlParts parse_url(const std::string& url) {
  const CurlUrl handle(curl_url());
  if (!handle) {
    throw Error(fmt::format("cannot parse URL '{}': out of memory", url));
  }
  const CURLUcode set =
      curl_url_set(handle.get(), CURLUPART_URL, url.c_str(), 0);
  if (set != CURLUE_OK) {
    throw Error(
        fmt::format("invalid URL '{}': {}", url, curl_url_strerror(set)),
        "check the URL in the manifest or in XTC_MIRROR");
  }
  UrlParts parts;
  const auto get = [&](CURLUPart part, std::string& out) {
    char* raw = nullptr;
    const CURLUcode code = curl_url_get(handle.get(), part, &raw, 0);
    const CurlString owned(raw);
    if (code == CURLUE_OK && owned) {
      out = owned.get();
    } else if (code != CURLUE_NO_HOST) {
      throw Error(
          fmt::format("invalid URL '{}': {}", url, curl_url_strerror(code)));
    }
  };
  get(CURLUPART_SCHEME, parts.scheme);
  get(CURLUPART_HOST, parts.host);
  parts.scheme = to_lower(parts.scheme);
  return parts;
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

} // namespace

bool is_loopback_host(std::string_view host) {
  std::string name = to_lower(host);
  if (name.size() >= 2 && name.front() == '[' && name.back() == ']') {
    name = name.substr(1, name.size() - 2);
  }
  if (!name.empty() && name.back() == '.') {
    name.pop_back();
  }
  if (name == "localhost") {
    return true;
  }
  in_addr v4{};
  if (inet_pton(AF_INET, name.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24U) == 127U;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, name.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_LOOPBACK(&v6)) {
      return true;
    }
    return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127U;
  }
  return false;
}

bool has_loopback_host(const std::string& url) {
  return is_loopback_host(parse_url(url).host);
}

std::string url_scheme(const std::string& url) { return parse_url(url).scheme; }

void check_url_allowed(const std::string& url) {
  if (is_oci_url(url)) {
    check_url_allowed(blob_endpoint(parse_oci_url(url)));
    return;
  }
  const UrlParts parts = parse_url(url);
  if (parts.scheme == "https" || parts.scheme == "file") {
    return;
  }
  if (parts.scheme == "http") {
    if (is_loopback_host(parts.host)) {
      return;
    }
    throw Error(fmt::format("refusing plain HTTP for '{}'", url),
                "use an https:// URL; plain http:// is only allowed to "
                "127.0.0.1, ::1 or localhost");
  }
  throw Error(
      fmt::format("unsupported URL scheme '{}' in '{}'", parts.scheme, url),
      "use an https://, file:// or oci:// URL");
}

std::optional<std::string> apply_mirror(std::string_view url,
                                        std::string_view mirror) {
  mirror = trim(mirror);
  if (mirror.empty()) {
    return std::nullopt;
  }
  // "FROM=TO" only when both sides look like URLs, so that a base URL with a
  // query ("https://cache/xtc?token=1") is not split at its '='.
  const std::size_t eq = mirror.find('=');
  if (eq != std::string_view::npos) {
    const std::string_view from = mirror.substr(0, eq);
    const std::string_view to = mirror.substr(eq + 1);
    if (from.find("://") != std::string_view::npos &&
        to.find("://") != std::string_view::npos) {
      if (!starts_with(url, from)) {
        return std::nullopt;
      }
      return std::string(to) + std::string(url.substr(from.size()));
    }
  }
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    return std::nullopt;
  }
  const std::size_t path_start = url.find_first_of("/?#", scheme_end + 3);
  std::string base(mirror);
  while (!base.empty() && base.back() == '/') {
    base.pop_back();
  }
  if (path_start != std::string_view::npos) {
    base += url.substr(path_start);
  }
  return base;
}

namespace {

// The document part of a URL (without "?query" or "#fragment").
std::string_view url_document(std::string_view url) {
  return url.substr(0, url.find_first_of("?#"));
}

} // namespace

std::string url_file_name(std::string_view url) {
  const std::string_view document = url_document(url);
  return std::string(document.substr(document.rfind('/') + 1));
}

std::string signature_url(std::string_view url) {
  const std::string_view document = url_document(url);
  return std::string(document) + ".minisig" +
         std::string(url.substr(document.size()));
}

std::vector<std::string>
candidate_urls(const std::vector<std::string>& urls,
               const std::optional<std::string>& mirror) {
  std::vector<std::string> out;
  const auto add = [&out](std::string url) {
    if (std::find(out.begin(), out.end(), url) == out.end()) {
      out.push_back(std::move(url));
    }
  };
  if (mirror) {
    for (const std::string& url : urls) {
      if (is_oci_url(url)) {
        continue; // a registry blob is addressed by digest, not by prefix
      }
      if (auto rewritten = apply_mirror(url, *mirror)) {
        add(std::move(*rewritten));
      }
    }
  }
  for (const std::string& url : urls) {
    add(url);
  }
  return out;
}

} // namespace xtc::fetch
