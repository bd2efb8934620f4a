#include "base/error.hpp"
#include "fetch/download.hpp"
#include "fetch/url.hpp"
#include "support/catch.hpp"
#include "support/temp_dir.hpp"

#include <string>

using xtc::fetch::apply_mirror;
using xtc::fetch::candidate_urls;
using xtc::fetch::check_url_allowed;
using xtc::fetch::is_loopback_host;

namespace {

std::string refusal(const std::string& url) {
  try {
    check_url_allowed(url);
  } catch (const xtc::Error& e) {
    return e.message();
  }
  return "allowed";
}

xtc::Env env_with(std::map<std::string, std::string, std::less<>> vars) {
  return xtc::Env(std::move(vars), "/work/dir");
}

} // namespace

TEST_CASE("loopback hosts are recognised", "[fetch]") {
  for (const char* host :
       {"127.0.0.1", "127.255.3.9", "localhost", "LocalHost", "localhost.",
        "::1", "[::1]", "[::ffff:127.0.0.1]", "0:0:0:0:0:0:0:1"}) {
    INFO(host);
    REQUIRE(is_loopback_host(host));
  }
}

TEST_CASE("other hosts are not loopback", "[fetch]") {
  for (const char* host :
       {"", "128.0.0.1", "10.0.0.1", "126.255.255.255", "0.0.0.0",
        "example.com", "localhost.example.com", "mylocalhost", "[::2]",
        "::", "[::ffff:10.0.0.1]", "127.0.0.1.example.com"}) {
    INFO(host);
    REQUIRE_FALSE(is_loopback_host(host));
  }
}

TEST_CASE("URLs naming a loopback host are recognised", "[fetch]") {
  REQUIRE(xtc::fetch::has_loopback_host("https://localhost:8443/a"));
  REQUIRE(xtc::fetch::has_loopback_host("http://[::1]/a"));
  REQUIRE(xtc::fetch::has_loopback_host("http://127.1/a"));
  REQUIRE_FALSE(xtc::fetch::has_loopback_host("https://example.com/a"));
  REQUIRE_FALSE(
      xtc::fetch::has_loopback_host("http://127.0.0.1@evil.example/"));
  REQUIRE_FALSE(xtc::fetch::has_loopback_host("file:///srv/a"));
}

TEST_CASE("https and file URLs are allowed anywhere", "[fetch]") {
  REQUIRE(refusal("https://example.com/a.tar.gz") == "allowed");
  REQUIRE(refusal("HTTPS://example.com/a.tar.gz") == "allowed");
  REQUIRE(refusal("file:///srv/mirror/a.tar.gz") == "allowed");
}

TEST_CASE("plain http is allowed only to loopback", "[fetch]") {
  REQUIRE(refusal("http://127.0.0.1:8080/a.tar.gz") == "allowed");
  REQUIRE(refusal("http://localhost/a.tar.gz") == "allowed");
  REQUIRE(refusal("http://[::1]:9/a") == "allowed");
  // libcurl normalises these numeric spellings to 127.0.0.1.
  REQUIRE(refusal("http://127.1/a") == "allowed");
  REQUIRE(refusal("http://2130706433/a") == "allowed");

  REQUIRE(refusal("http://example.com/a.tar.gz") ==
          "refusing plain HTTP for 'http://example.com/a.tar.gz'");
  REQUIRE(refusal("http://10.0.0.1/a") == "refusing plain HTTP for "
                                          "'http://10.0.0.1/a'");
}

TEST_CASE("plain http refusal sees through userinfo and fragment tricks",
          "[fetch]") {
  REQUIRE(refusal("http://127.0.0.1@evil.example/a") ==
          "refusing plain HTTP for 'http://127.0.0.1@evil.example/a'");
  REQUIRE(refusal("http://evil.example#@127.0.0.1/a") ==
          "refusing plain HTTP for 'http://evil.example#@127.0.0.1/a'");
  REQUIRE(refusal("http://localhost.evil.example/a") ==
          "refusing plain HTTP for 'http://localhost.evil.example/a'");
}

TEST_CASE("plain http refusal carries a hint", "[fetch]") {
  try {
    check_url_allowed("http://example.com/a");
    FAIL("no exception");
  } catch (const xtc::Error& e) {
    REQUIRE(e.hint().find("https://") != std::string::npos);
  }
}

TEST_CASE("other schemes and malformed URLs are refused", "[fetch]") {
  REQUIRE(refusal("ftp://example.com/a") ==
          "unsupported URL scheme 'ftp' in 'ftp://example.com/a'");
  REQUIRE(refusal("https://exa mple.com/a").find("invalid URL") == 0);
}

TEST_CASE("a bare mirror base URL replaces scheme and host", "[fetch]") {
  REQUIRE(apply_mirror("https://github.com/o/r/releases/a.tar.xz",
                       "https://cache.example/xtc") ==
          "https://cache.example/xtc/o/r/releases/a.tar.xz");
  REQUIRE(apply_mirror("https://github.com:443/a.tar.xz?x=1",
                       "https://cache.example/xtc/") ==
          "https://cache.example/xtc/a.tar.xz?x=1");
  REQUIRE(apply_mirror("https://github.com/a.tar.xz", "file:///srv/mirror") ==
          "file:///srv/mirror/a.tar.xz");
  REQUIRE(apply_mirror("https://github.com", "https://cache.example") ==
          "https://cache.example");
}

TEST_CASE("a FROM=TO mirror replaces a matching prefix only", "[fetch]") {
  const std::string mirror = "https://github.com/o/=https://cache.example/gh/";
  REQUIRE(apply_mirror("https://github.com/o/r/a.tar.xz", mirror) ==
          "https://cache.example/gh/r/a.tar.xz");
  REQUIRE_FALSE(apply_mirror("https://example.org/o/r/a.tar.xz", mirror));
  REQUIRE_FALSE(apply_mirror("https://github.com/other/a.tar.xz", mirror));
}

TEST_CASE("a base URL with a query is not read as FROM=TO", "[fetch]") {
  REQUIRE(apply_mirror("https://github.com/a.tar.xz",
                       "https://cache.example/xtc?token=1") ==
          "https://cache.example/xtc?token=1/a.tar.xz");
}

TEST_CASE("mirror rewrites come first, originals follow", "[fetch]") {
  const std::vector<std::string> urls = {"https://a.example/x.tar.gz",
                                         "https://b.example/x.tar.gz"};
  REQUIRE(candidate_urls(urls, std::nullopt) == urls);
  const std::vector<std::string> expected = {"https://m.example/x.tar.gz",
                                             "https://a.example/x.tar.gz",
                                             "https://b.example/x.tar.gz"};
  // Both originals rewrite to the same mirror URL, which is tried once.
  REQUIRE(candidate_urls(urls, std::string("https://m.example")) == expected);
  const std::vector<std::string> prefix_only = {"https://m.example/x.tar.gz",
                                                "https://a.example/x.tar.gz",
                                                "https://b.example/x.tar.gz"};
  REQUIRE(candidate_urls(urls,
                         std::string("https://a.example=https://m.example")) ==
          prefix_only);
}

TEST_CASE("CA bundle comes from XTC_CA_BUNDLE, CURL_CA_BUNDLE, SSL_CERT_FILE",
          "[fetch]") {
  using xtc::fetch::Options;
  REQUIRE_FALSE(Options::from_env(env_with({})).ca_bundle.has_value());
  REQUIRE(
      Options::from_env(env_with({{"SSL_CERT_FILE", "/c.pem"}})).ca_bundle ==
      std::filesystem::path("/c.pem"));
  REQUIRE(Options::from_env(env_with({{"SSL_CERT_FILE", "/c.pem"},
                                      {"CURL_CA_BUNDLE", "/b.pem"}}))
              .ca_bundle == std::filesystem::path("/b.pem"));
  REQUIRE(Options::from_env(env_with({{"SSL_CERT_FILE", "/c.pem"},
                                      {"CURL_CA_BUNDLE", "/b.pem"},
                                      {"XTC_CA_BUNDLE", "/a.pem"}}))
              .ca_bundle == std::filesystem::path("/a.pem"));
  // An empty variable counts as unset.
  REQUIRE(Options::from_env(
              env_with({{"XTC_CA_BUNDLE", ""}, {"SSL_CERT_FILE", "/c.pem"}}))
              .ca_bundle == std::filesystem::path("/c.pem"));
  // Relative to the Env's working directory.
  REQUIRE(Options::from_env(env_with({{"XTC_CA_BUNDLE", "ca/root.pem"}}))
              .ca_bundle == std::filesystem::path("/work/dir/ca/root.pem"));
}

TEST_CASE("XTC_MIRROR is read and must be a URL", "[fetch]") {
  using xtc::fetch::Options;
  REQUIRE_FALSE(Options::from_env(env_with({})).mirror.has_value());
  REQUIRE(Options::from_env(env_with({{"XTC_MIRROR", "https://m.example/x"}}))
              .mirror == std::string("https://m.example/x"));
  REQUIRE_THROWS_WITH(
      Options::from_env(env_with({{"XTC_MIRROR", "m.example"}})),
      "XTC_MIRROR 'm.example' is not a URL");
}

TEST_CASE("a URL's file name and its signature's URL keep the query apart",
          "[fetch]") {
  using xtc::fetch::signature_url;
  using xtc::fetch::url_file_name;
  CHECK(url_file_name("https://h/d/zig.tar.xz") == "zig.tar.xz");
  CHECK(url_file_name("https://h/d/zig.tar.xz?v=1#x") == "zig.tar.xz");
  CHECK(url_file_name("file:///m/manifest.toml") == "manifest.toml");
  CHECK(signature_url("https://h/d/zig.tar.xz") ==
        "https://h/d/zig.tar.xz.minisig");
  CHECK(signature_url("https://h/d/zig.tar.xz?v=1") ==
        "https://h/d/zig.tar.xz.minisig?v=1");
  CHECK(signature_url("https://h/m.toml#top") ==
        "https://h/m.toml.minisig#top");
}
