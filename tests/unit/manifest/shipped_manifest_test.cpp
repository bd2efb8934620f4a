// The manifest xtc ships (manifests/xtc.toml, written by scripts/manifest-gen):
// every artifact is checked against what its producer publishes, without
// downloading anything.
#include "base/error.hpp"
#include "manifest/manifest.hpp"
#include "support/catch.hpp"
#include "triple/triple.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

using xtc::manifest::Artifact;
using xtc::manifest::Flavor;
using xtc::manifest::Manifest;
using xtc::triple::Arch;

namespace {

const Manifest& shipped() {
  static const Manifest manifest =
      xtc::manifest::load_file(XTC_SHIPPED_MANIFEST);
  return manifest;
}

const std::vector<std::string> k_hosts = {"x86_64-linux", "aarch64-linux",
                                          "x86_64-darwin", "aarch64-darwin"};

enum class Producer { messense, osxct, bootlin, filosottile, zig, unknown };

Producer producer_of(const Artifact& artifact) {
  const std::string& url = artifact.urls.front();
  if (url.starts_with("https://github.com/messense/"
                      "homebrew-macos-cross-toolchains/releases/download/")) {
    return Producer::messense;
  }
  if (url.starts_with(
          "https://github.com/SergioBenitez/homebrew-osxct/releases/")) {
    return Producer::osxct;
  }
  if (url.starts_with("https://toolchains.bootlin.com/downloads/releases/")) {
    return Producer::bootlin;
  }
  if (url.starts_with("https://github.com/FiloSottile/homebrew-musl-cross/"
                      "releases/download/")) {
    return Producer::filosottile;
  }
  if (url.starts_with("https://ziglang.org/download/")) {
    return Producer::zig;
  }
  return Producer::unknown;
}

// Every tool of a gcc toolchain is <dir>/<prefix>-<GNU tool name>.
void check_gnu_tools(const Artifact& artifact, const std::string& prefix,
                     const std::string& dir = "bin") {
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"cc", "gcc"},          {"cxx", "g++"},     {"ar", "ar"},
      {"ranlib", "ranlib"},   {"strip", "strip"}, {"nm", "nm"},
      {"objcopy", "objcopy"}, {"ld", "ld"}};
  REQUIRE(artifact.tools.size() == expected.size());
  for (const auto& [tool, file] : expected) {
    INFO(tool);
    REQUIRE(artifact.tools.count(tool) == 1);
    CHECK(artifact.tools.at(tool) == dir + "/" + prefix + "-" + file);
  }
}

// Buildroot's tuple: <arch>-buildroot-linux-<env>, with "arm" for ARMv7.
std::string bootlin_tuple(const xtc::triple::Triple& target) {
  const std::string gnu = target.gnu();
  const std::string arch =
      target.arch == Arch::armv7 ? "arm" : target.arch_name();
  return arch + "-buildroot-" + gnu.substr(gnu.find("linux-"));
}

std::string url_file(const Artifact& artifact) {
  const std::string& url = artifact.urls.front();
  return url.substr(url.rfind('/') + 1);
}

} // namespace

TEST_CASE("the shipped manifest parses and lists every producer",
          "[manifest]") {
  const Manifest& manifest = shipped();
  std::set<Producer> producers;
  for (const Artifact& artifact : manifest.artifacts) {
    producers.insert(producer_of(artifact));
  }
  CHECK(producers == std::set<Producer>{Producer::messense, Producer::osxct,
                                        Producer::bootlin,
                                        Producer::filosottile, Producer::zig});
}

TEST_CASE("every shipped artifact has an https URL, a digest and a known host",
          "[manifest]") {
  for (const Artifact& artifact : shipped().artifacts) {
    INFO(artifact.id);
    REQUIRE_FALSE(artifact.urls.empty());
    for (const std::string& url : artifact.urls) {
      CHECK(url.starts_with("https://"));
    }
    const std::string hex = artifact.sha256.hex();
    CHECK(hex.size() == 64);
    CHECK(hex.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(hex != std::string(64, '0'));
    CHECK(std::find(k_hosts.begin(), k_hosts.end(), artifact.host) !=
          k_hosts.end());
    CHECK(artifact.kind == xtc::manifest::Kind::toolchain);
  }
}

TEST_CASE("shipped tool maps name the files each producer ships",
          "[manifest]") {
  for (const Artifact& artifact : shipped().artifacts) {
    INFO(artifact.id);
    switch (producer_of(artifact)) {
    case Producer::messense: {
      // crosstool-NG's alias is the GNU spelling; the archive's top
      // directory and sysroot use the Rust-style name of the file.
      REQUIRE(artifact.target.has_value());
      CHECK(artifact.flavor == Flavor::gcc);
      CHECK(artifact.host.ends_with("-darwin"));
      check_gnu_tools(artifact, artifact.target->gnu());
      // <rust-style target>-<host>.tar.gz, the target naming the same triple
      const std::string file = url_file(artifact);
      const std::string suffix = "-" + artifact.host + ".tar.gz";
      REQUIRE(file.ends_with(suffix));
      const std::string rust_name = file.substr(0, file.size() - suffix.size());
      CHECK(rust_name.find("-unknown-linux-") != std::string::npos);
      CHECK(xtc::triple::try_parse(rust_name) == artifact.target);
      CHECK(artifact.sysroot == rust_name + "/sysroot");
      CHECK(artifact.strip_components == 1);
      CHECK(artifact.size == 0); // the producer publishes none
      break;
    }
    case Producer::osxct:
      REQUIRE(artifact.target.has_value());
      CHECK(artifact.host == "x86_64-darwin");
      CHECK(artifact.target->gnu() == "x86_64-linux-gnu");
      check_gnu_tools(artifact, "x86_64-unknown-linux-gnu");
      CHECK(artifact.size == 0);
      break;
    case Producer::bootlin: {
      REQUIRE(artifact.target.has_value());
      CHECK(artifact.host == "x86_64-linux");
      const std::string tuple = bootlin_tuple(*artifact.target);
      check_gnu_tools(artifact, tuple);
      CHECK(artifact.sysroot == tuple + "/sysroot");
      // <arch>--<libc>--stable-<release>.tar.<format>, as Buildroot's
      // toolchain-external-bootlin.mk downloads it.
      const std::string file = url_file(artifact);
      CHECK(file.find("--" + *artifact.libc + "--stable-" + artifact.version +
                      "." + artifact.format) != std::string::npos);
      CHECK((artifact.format == "tar.xz" || artifact.format == "tar.bz2"));
      CHECK(artifact.strip_components == 1);
      CHECK(artifact.size == 0);
      break;
    }
    case Producer::filosottile: {
      // A Homebrew bottle of musl-cross-make's install: the keg
      // musl-cross/<version>/, the tools in libexec/bin, each target's
      // sysroot in libexec/<target>.
      REQUIRE(artifact.target.has_value());
      CHECK(artifact.target->libc == xtc::triple::Libc::musl);
      CHECK(artifact.host == "aarch64-darwin");
      const std::string gnu = artifact.target->gnu();
      check_gnu_tools(artifact, gnu, "libexec/bin");
      CHECK(artifact.sysroot == "libexec/" + gnu);
      CHECK(artifact.strip_components == 2);
      // Homebrew's bottle name, one per macOS, each needing that macOS.
      const std::string tag =
          artifact.min_host_version == "26" ? "arm64_tahoe" : "arm64_sequoia";
      CHECK((artifact.min_host_version == "26" ||
             artifact.min_host_version == "15"));
      CHECK(url_file(artifact) ==
            "musl-cross-" + artifact.version + "." + tag + ".bottle.1.tar.gz");
      CHECK(artifact.size == 0);
      break;
    }
    case Producer::zig: {
      CHECK(artifact.flavor == Flavor::zig);
      CHECK_FALSE(artifact.target.has_value());
      CHECK(artifact.tools ==
            std::map<std::string, std::string>{{"cc", "zig"}});
      // Every zig tarball is signed by the Zig Software Foundation's key.
      REQUIRE(artifact.minisign_key.has_value());
      CHECK(artifact.minisign_key->base64() ==
            "RWSGOq2NVecA2UPNdBUZykf1CCb147pkmdtYxgb3Ti+JO/wCYvhbAb/U");
      // zig names hosts <arch>-<os> with "macos" for darwin.
      std::string zig_host = artifact.host;
      if (zig_host.ends_with("-darwin")) {
        zig_host.replace(zig_host.size() - 6, 6, "macos");
      }
      CHECK(url_file(artifact) ==
            "zig-" + zig_host + "-" + artifact.version + ".tar.xz");
      CHECK(artifact.size > 1000000); // published in zig's index
      CHECK(artifact.strip_components == 1);
      break;
    }
    case Producer::unknown:
      FAIL("artifact from an unknown producer: " << artifact.urls.front());
    }
  }
}

TEST_CASE("no two shipped artifacts claim the same host, target, flavor and "
          "version",
          "[manifest]") {
  // Two builds of one release for one host differ in the host version
  // they need (a bottle per macOS).
  std::set<
      std::tuple<std::string, std::string, Flavor, std::string, std::string>>
      seen;
  for (const Artifact& artifact : shipped().artifacts) {
    INFO(artifact.id);
    const std::string target =
        artifact.target ? artifact.target->gnu() : std::string("any");
    CHECK(seen.emplace(artifact.host, target, *artifact.flavor,
                       artifact.version, artifact.min_host_version.value_or(""))
              .second);
  }
}

TEST_CASE("the shipped manifest covers every known target on every host",
          "[manifest]") {
  for (const std::string& host : k_hosts) {
    for (const xtc::triple::Triple& target : xtc::triple::known_targets()) {
      INFO(host << " " << target.gnu());
      const auto zig =
          xtc::manifest::select(shipped(), target, host, Flavor::zig);
      CHECK(zig.toolchain->version == "0.15.2"); // the newest first
      const bool gcc_expected =
          host == "x86_64-linux" ||
          (host.ends_with("-darwin") && target.arch != Arch::riscv64);
      if (gcc_expected) {
        const auto gcc = xtc::manifest::select(shipped(), target, host, {});
        CHECK(gcc.flavor == Flavor::gcc);
        CHECK(gcc.toolchain->host == host);
      } else {
        CHECK_THROWS(
            xtc::manifest::select(shipped(), target, host, Flavor::gcc));
      }
    }
  }
}

TEST_CASE("every shipped glibc or musl toolchain states its C library "
          "version",
          "[manifest]") {
  for (const Artifact& artifact : shipped().artifacts) {
    INFO(artifact.id);
    if (artifact.target && producer_of(artifact) != Producer::osxct) {
      REQUIRE(artifact.libc_version.has_value());
      CHECK_FALSE(
          xtc::triple::parse("x86_64-linux-gnu." + *artifact.libc_version)
              .libc_version->empty());
    }
  }
}

TEST_CASE("glibc pins pick the shipped releases that meet them", "[manifest]") {
  const auto pick = [](const std::string& target, const std::string& host) {
    return xtc::manifest::select(shipped(), xtc::triple::parse(target), host,
                                 {});
  };
  // On a Mac: messense v15.2.0 has glibc 2.28, v13.3.0 has 2.17.
  CHECK(pick("aarch64-linux-gnu", "aarch64-darwin").toolchain->version ==
        "15.2.0");
  CHECK(pick("aarch64-linux-gnu.2.28", "aarch64-darwin").toolchain->version ==
        "15.2.0");
  const auto old = pick("x86_64-linux-gnu.2.17", "aarch64-darwin");
  CHECK(old.toolchain->version == "13.3.0");
  CHECK(old.toolchain->libc_version == "2.17");
  // On Linux: Bootlin's releases, the newest glibc at most the pin.
  const auto bootlin = pick("aarch64-linux-gnu.2.33", "x86_64-linux");
  CHECK(bootlin.toolchain->libc_version == "2.31");
  CHECK(pick("aarch64-linux-gnu", "x86_64-linux").toolchain->version ==
        "2025.08-1");
  // Below every Bootlin release: refused, naming the zig flavor.
  try {
    pick("aarch64-linux-gnu.2.28", "x86_64-linux");
    FAIL("a 2.28 floor was met on Linux");
  } catch (const xtc::Error& error) {
    CHECK(error.message().find("meets the glibc floor") != std::string::npos);
    CHECK(error.hint().find("--flavor zig") != std::string::npos);
  }
}

TEST_CASE("FiloSottile's bottles: the newest each Mac can run", "[manifest]") {
  const auto filo = [](const std::string& version) {
    const xtc::manifest::Host host{"aarch64-darwin", version};
    // After messense's: asked for by id order, the first Filo row that runs.
    for (const Artifact& artifact : shipped().artifacts) {
      if (producer_of(artifact) == Producer::filosottile &&
          artifact.target->gnu() == "aarch64-linux-musl" &&
          xtc::manifest::runs_on(artifact, host)) {
        return url_file(artifact);
      }
    }
    return std::string();
  };
  CHECK(filo("26.0") == "musl-cross-0.9.11.arm64_tahoe.bottle.1.tar.gz");
  CHECK(filo("15.5") == "musl-cross-0.9.11.arm64_sequoia.bottle.1.tar.gz");
  CHECK(filo("14.6").empty());
}

TEST_CASE("the 2018 osxct toolchain is only the second choice", "[manifest]") {
  const xtc::triple::Triple target = xtc::triple::parse("x86_64-linux-gnu");
  const auto selection =
      xtc::manifest::select(shipped(), target, "x86_64-darwin", Flavor::gcc);
  CHECK(selection.toolchain->id.starts_with("messense-"));
  const auto osxct = std::find_if(
      shipped().artifacts.begin(), shipped().artifacts.end(),
      [](const Artifact& a) { return producer_of(a) == Producer::osxct; });
  REQUIRE(osxct != shipped().artifacts.end());
  CHECK(osxct->version == "7.2.0");
}

TEST_CASE("every shipped row names its producer, as its URL says",
          "[manifest]") {
  const std::map<Producer, std::string> names = {
      {Producer::messense, "messense"},
      {Producer::osxct, "osxct"},
      {Producer::bootlin, "bootlin"},
      {Producer::filosottile, "filosottile"},
      {Producer::zig, "zig"}};
  for (const Artifact& artifact : shipped().artifacts) {
    INFO(artifact.id);
    const auto name = names.find(producer_of(artifact));
    REQUIRE(name != names.end());
    CHECK(artifact.producer == name->second);
  }
}

TEST_CASE("--producer filosottile gets FiloSottile's musl-cross on a Mac",
          "[manifest]") {
  const xtc::triple::Triple target = xtc::triple::parse("x86_64-linux-musl");
  const xtc::manifest::Host mac{"aarch64-darwin", "15.5"};
  // By default messense's comes first; asked for, the classic musl-cross
  // bottle this Mac can pour.
  CHECK(xtc::manifest::select(shipped(), target, mac, {})
            .toolchain->id.starts_with("messense-"));
  const auto filo = xtc::manifest::select(shipped(), target, mac, {},
                                          std::string("filosottile"));
  CHECK(url_file(*filo.toolchain) ==
        "musl-cross-0.9.11.arm64_sequoia.bottle.1.tar.gz");
  CHECK(filo.chosen_producer() == "filosottile");
  // Not on an older macOS, nor on Linux: the error says who has it there.
  try {
    (void)xtc::manifest::select(shipped(), target, "x86_64-linux", {},
                                std::string("filosottile"));
    FAIL("FiloSottile's bottles were chosen on Linux");
  } catch (const xtc::Error& error) {
    CHECK(error.message().starts_with("producer 'filosottile' offers no "
                                      "toolchain for 'x86_64-linux-musl' on "
                                      "host x86_64-linux"));
    CHECK(error.hint().find("gcc from bootlin, zig from zig") !=
          std::string::npos);
  }
}
