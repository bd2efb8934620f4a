#include "base/error.hpp"
#include "manifest/manifest.hpp"
#include "manifest/rewrite.hpp"

#include <catch2/catch.hpp>

using namespace xtc;

namespace {

const std::string k_a(64, 'a');
const std::string k_b(64, 'b');

// Two artifacts; the second carries a producer key (zig's, from its site).
const std::string k_source = "# a comment that a rewrite drops\n"
                             "schema_version = 1\n"
                             "[[artifact]]\n"
                             "id = \"sysroot-x86_64-linux-musl\"\n"
                             "kind = \"sysroot\"\n"
                             "target = \"x86_64-linux-musl\"\n"
                             "libc = \"musl\"\n"
                             "host = \"any\"\n"
                             "version = \"1.2.3\"\n"
                             "urls = [\"https://p.example/s.tar.xz\"]\n"
                             "sha256 = \"" +
                             k_a +
                             "\"\n"
                             "format = \"tar.xz\"\n"
                             "sysroot = \".\"\n"
                             "[[artifact]]\n"
                             "id = \"zig-0.11.0\"\n"
                             "kind = \"toolchain\"\n"
                             "flavor = \"zig\"\n"
                             "target = \"any\"\n"
                             "host = \"x86_64-linux\"\n"
                             "version = \"0.11.0\"\n"
                             "urls = [\"https://p.example/zig.tar.xz\", "
                             "\"https://q.example/zig.tar.xz\"]\n"
                             "sha256 = \"" +
                             k_b +
                             "\"\n"
                             "format = \"tar.xz\"\n"
                             "minisign_key = "
                             "\"RWSGOq2NVecA2UPNdBUZykf1CCb147pkmdtYxgb3Ti+"
                             "JO/wCYvhbAb/U\"\n"
                             "[artifact.tools]\n"
                             "cc = \"zig\"\n";

} // namespace

TEST_CASE("a mirror's manifest names its copies first and keeps only them",
          "[manifest][mirror]") {
  const std::string oci = "oci://r.example/team/xtc@sha256:" + k_b;
  const std::string signature = "oci://r.example/team/xtc@sha256:" + k_a;
  const std::string text = manifest::rewrite_for_mirror(
      k_source, "src.toml",
      {{"zig-0.11.0", {{oci, "https://q.example/zig.tar.xz"}, {signature}}}},
      {"Mirror of src.toml", ""});
  CHECK(text.starts_with("# Mirror of src.toml\n#\n"));
  CHECK(text.find("a comment that a rewrite drops") == std::string::npos);

  const manifest::Manifest parsed = manifest::parse(text, "mirror.toml");
  REQUIRE(parsed.artifacts.size() == 1);
  const manifest::Artifact& zig = parsed.artifacts.front();
  CHECK(zig.id == "zig-0.11.0");
  // The mirror's URLs first, a URL already listed moved, the rest after.
  CHECK(zig.urls == std::vector<std::string>{oci,
                                             "https://q.example/zig.tar.xz",
                                             "https://p.example/zig.tar.xz"});
  CHECK(zig.signature_urls == std::vector<std::string>{signature});
  CHECK(zig.sha256.hex() == k_b);
  REQUIRE(zig.minisign_key);
  CHECK(zig.tools.at("cc") == "zig");
}

TEST_CASE("signature_urls belong to artifacts with a producer key",
          "[manifest][mirror]") {
  const std::string copy = manifest::rewrite_for_mirror(
      k_source, "src.toml",
      {{"sysroot-x86_64-linux-musl", {{}, {"https://m.example/s.minisig"}}}},
      {});
  try {
    manifest::parse(copy, "m.toml");
    FAIL("a signature_urls without a minisign_key was accepted");
  } catch (const Error& error) {
    CHECK(error.message() ==
          "invalid manifest 'm.toml': artifact 1 "
          "('sysroot-x86_64-linux-musl'): key 'signature_urls': only an "
          "artifact with a minisign_key has a producer signature");
  }
}
