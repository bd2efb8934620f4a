#include "base/error.hpp"
#include "fetch/oci.hpp"
#include "fetch/registry_credentials.hpp"
#include "fetch/url.hpp"

#include <catch2/catch.hpp>

using namespace xtc;
using namespace xtc::fetch;

namespace {
const std::string k_hex(64, 'a');
}

TEST_CASE("oci:// URLs name a registry, a repository and a sha256 digest",
          "[fetch][oci]") {
  const OciBlob blob = parse_oci_url(
      "oci://Registry.Corp:5000/team/tool-chains@sha256:" + k_hex);
  CHECK(blob.registry == "registry.corp:5000");
  CHECK(blob.repository == "team/tool-chains");
  CHECK(blob.digest == "sha256:" + k_hex);
  CHECK(blob_endpoint(blob) ==
        "https://registry.corp:5000/v2/team/tool-chains/blobs/sha256:" + k_hex);
  CHECK(oci_url(blob) ==
        "oci://registry.corp:5000/team/tool-chains@sha256:" + k_hex);
  CHECK(parse_oci_url("oci://[::1]:443/a@sha256:" + k_hex).registry ==
        "[::1]:443");
  CHECK_NOTHROW(check_url_allowed("oci://127.0.0.1:5000/a/b@sha256:" + k_hex));

  for (const std::string& bad : std::vector<std::string>{
           "oci://reg/repo",                             // no digest
           "oci://reg@sha256:" + k_hex,                  // no repository
           "oci://reg/Repo@sha256:" + k_hex,             // upper case
           "oci://reg/a//b@sha256:" + k_hex,             // empty component
           "oci://reg/a/../b@sha256:" + k_hex,           // dot-dot
           "oci://user@reg/a@sha256:" + k_hex,           // a user smuggled in
           "oci://reg:/a@sha256:" + k_hex,               // empty port
           "oci://reg:99999x/a@sha256:" + k_hex,         // not a port
           "oci://reg/a@sha512:" + k_hex,                // not sha256
           "oci://reg/a@sha256:" + k_hex.substr(1),      // short digest
           "oci://reg/a@sha256:" + std::string(64, 'A'), // upper-case hex
           "oci://reg/a?x=1@sha256:" + k_hex,            // a query
       }) {
    INFO(bad);
    CHECK_THROWS_AS(parse_oci_url(bad), Error);
    CHECK_THROWS_AS(check_url_allowed(bad), Error);
  }
}

TEST_CASE("the mirror rewrite leaves oci:// URLs alone", "[fetch][oci]") {
  const std::string oci = "oci://reg/a@sha256:" + k_hex;
  const std::vector<std::string> urls =
      candidate_urls({oci, "https://h/f.tar.xz"}, "https://cache");
  CHECK(urls == std::vector<std::string>{"https://cache/f.tar.xz", oci,
                                         "https://h/f.tar.xz"});
}

TEST_CASE("WWW-Authenticate challenges parse as registries send them",
          "[fetch][oci]") {
  const auto bearer = parse_challenge(
      R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull")");
  REQUIRE(bearer);
  CHECK(bearer->scheme == "bearer");
  CHECK(bearer->params.at("realm") == "https://auth.docker.io/token");
  CHECK(bearer->params.at("service") == "registry.docker.io");
  CHECK(bearer->params.at("scope") == "repository:library/alpine:pull");
  CHECK(token_url(*bearer, "repository:library/alpine:pull") ==
        "https://auth.docker.io/token?service=registry.docker.io&scope="
        "repository%3Alibrary%2Falpine%3Apull");

  const auto basic = parse_challenge(R"(Basic realm="Registry Realm")");
  REQUIRE(basic);
  CHECK(basic->scheme == "basic");
  CHECK(basic->params.at("realm") == "Registry Realm");

  const auto spaced = parse_challenge(
      R"(bearer  realm = "https://t/x?a=1" , error="invalid_token", service=svc)");
  REQUIRE(spaced);
  CHECK(spaced->params.at("service") == "svc");
  CHECK(spaced->params.at("error") == "invalid_token");
  CHECK(token_url(*spaced, "s") == "https://t/x?a=1&service=svc&scope=s");

  const auto escaped = parse_challenge(R"(Bearer realm="a\"b")");
  REQUIRE(escaped);
  CHECK(escaped->params.at("realm") == "a\"b");

  CHECK_FALSE(parse_challenge(R"(Bearer realm="unterminated)"));
  CHECK_FALSE(parse_challenge(""));
  CHECK_THROWS_AS(token_url(Challenge{"bearer", {}}, "s"), Error);
}

TEST_CASE("token answers give the token and its lifetime", "[fetch][oci]") {
  const Token token = parse_token_response(
      R"({"token":"abc.def","expires_in":300,"issued_at":"2026-01-01T00:00:00Z"})",
      "realm");
  CHECK(token.value == "abc.def");
  CHECK(token.lifetime == std::chrono::seconds(300));
  CHECK(parse_token_response(R"({"access_token":"x"})", "r").lifetime ==
        std::chrono::seconds(60));
  CHECK(parse_token_response(R"({"access_token":"x","expires_in":5})", "r")
            .lifetime == std::chrono::seconds(60));
  CHECK_THROWS_AS(parse_token_response("{}", "r"), Error);
  CHECK_THROWS_AS(parse_token_response("not json", "r"), Error);
  CHECK_THROWS_AS(parse_token_response(R"({"token":"a\r\nX-Evil: 1"})", "r"),
                  Error);
}

TEST_CASE("Docker config keys name registries", "[fetch][oci]") {
  CHECK(docker_config_registry("https://index.docker.io/v1/") ==
        "index.docker.io");
  CHECK(docker_config_registry("GHCR.io") == "ghcr.io");
  CHECK(docker_config_registry("http://127.0.0.1:5000") == "127.0.0.1:5000");
}
