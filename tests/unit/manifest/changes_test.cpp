// What `xtc update` reports: artifacts matched by what they are, so a new
// release is an update; only this host's rows listed, the others counted.
#include "manifest/changes.hpp"
#include "support/catch.hpp"

#include <string>
#include <vector>

using xtc::manifest::Artifact;
using xtc::manifest::Change;
using xtc::manifest::Flavor;
using xtc::manifest::Kind;
using xtc::manifest::Manifest;

namespace {

Artifact gcc(const std::string& id, const std::string& target,
             const std::string& host, const std::string& version,
             const std::string& producer = "messense") {
  Artifact artifact;
  artifact.id = id;
  artifact.kind = Kind::toolchain;
  artifact.flavor = Flavor::gcc;
  artifact.target = xtc::triple::parse(target);
  artifact.host = host;
  artifact.version = version;
  artifact.producer = producer;
  return artifact;
}

Artifact zig(const std::string& version) {
  Artifact artifact;
  artifact.id = "zig-" + version;
  artifact.flavor = Flavor::zig;
  artifact.host = "x86_64-linux";
  artifact.version = version;
  artifact.producer = "zig";
  return artifact;
}

std::vector<std::string> lines(const std::vector<Change>& changes) {
  std::vector<std::string> out;
  for (const Change& change : changes) {
    const char* kind = change.kind == Change::Kind::added     ? "added"
                       : change.kind == Change::Kind::removed ? "removed"
                                                              : "updated";
    out.push_back(std::string(kind) + " " + change.what + ": " + change.before +
                  " -> " + change.after);
  }
  return out;
}

} // namespace

TEST_CASE("manifest changes: added, removed, updated and rebuilt, for this "
          "host",
          "[manifest]") {
  Manifest before;
  before.artifacts = {
      gcc("a64-12", "aarch64-linux-gnu", "x86_64-linux", "12.2.0"),
      gcc("musl-11", "x86_64-linux-musl", "x86_64-linux", "11.2.0"),
      gcc("riscv", "riscv64-linux-gnu", "x86_64-linux", "12.2.0"),
      gcc("mac-a64", "aarch64-linux-gnu", "aarch64-darwin", "12.2.0"),
      zig("0.11.0")};
  Manifest after;
  after.artifacts = {
      // A new release under a new id: an update.
      gcc("a64-13", "aarch64-linux-gnu", "x86_64-linux", "13.2.0"),
      // Same version, another archive: rebuilt.
      gcc("musl-11", "x86_64-linux-musl", "x86_64-linux", "11.2.0"),
      // Another producer of the same target: an addition.
      gcc("bootlin", "aarch64-linux-gnu", "x86_64-linux", "12.3.0", "bootlin"),
      gcc("mac-a64", "aarch64-linux-gnu", "aarch64-darwin", "13.2.0"),
      gcc("mac-musl", "x86_64-linux-musl", "aarch64-darwin", "13.2.0"),
      zig("0.13.0")};
  after.artifacts[1].sha256 =
      *xtc::verify::Sha256Digest::from_hex(std::string(64, 'a'));
  after.artifacts[3].libc = "glibc";
  after.artifacts[3].libc_version = "2.17";

  const xtc::manifest::Changes changes =
      xtc::manifest::compare(before, after, "x86_64-linux");
  CHECK(lines(changes.here) ==
        std::vector<std::string>{
            "updated gcc toolchain for aarch64-linux-gnu from messense "
            "(x86_64-linux): 12.2.0 -> 13.2.0",
            "updated gcc toolchain for x86_64-linux-musl from messense "
            "(x86_64-linux): 11.2.0 -> 11.2.0",
            "added gcc toolchain for aarch64-linux-gnu from bootlin "
            "(x86_64-linux):  -> 12.3.0",
            "updated zig toolchain for every target from zig (x86_64-linux): "
            "0.11.0 -> 0.13.0",
            "removed gcc toolchain for riscv64-linux-gnu from messense "
            "(x86_64-linux): 12.2.0 -> "});
  // The Mac rows: one changed C library (a new identity: glibc) and one new.
  CHECK(changes.elsewhere == 3);

  const xtc::manifest::Changes none =
      xtc::manifest::compare(after, after, "x86_64-linux");
  CHECK(none.here.empty());
  CHECK(none.elsewhere == 0);
}
