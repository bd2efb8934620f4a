#include "base/error.hpp"
#include "manifest/manifest.hpp"
#include "support/catch.hpp"

#include <fmt/format.h>

#include <optional>
#include <string>

using xtc::manifest::Flavor;
using xtc::manifest::Manifest;
using xtc::manifest::Selection;

namespace {

const char* const k_hex =
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

// One artifact; libc_version is left out when empty.
std::string entry(const std::string& id, const std::string& kind_lines,
                  const std::string& target, const std::string& host,
                  const std::string& libc_version) {
  std::string text = fmt::format(
      "[[artifact]]\nid = \"{}\"\n{}target = \"{}\"\nhost = \"{}\"\n"
      "version = \"1\"\nurls = [\"https://m.example/{}.tar.xz\"]\n"
      "sha256 = \"{}\"\nsize = 1\nformat = \"tar.xz\"\n",
      id, kind_lines, target, host, id, k_hex);
  if (!libc_version.empty()) {
    text += fmt::format("libc_version = \"{}\"\n", libc_version);
  }
  return text;
}

std::string toolchain(const std::string& id, const std::string& flavor,
                      const std::string& target, const std::string& host,
                      const std::string& libc_version = {}) {
  return entry(id,
               fmt::format("kind = \"toolchain\"\nflavor = \"{}\"\n", flavor),
               target, host, libc_version) +
         "[artifact.tools]\ncc = \"bin/cc\"\n";
}

std::string sysroot(const std::string& id, const std::string& target,
                    const std::string& host,
                    const std::string& libc_version = {}) {
  const std::string libc =
      target.find("musl") != std::string::npos ? "musl" : "glibc";
  return entry(id, fmt::format("kind = \"sysroot\"\nlibc = \"{}\"\n", libc),
               target, host, libc_version);
}

Manifest manifest_of(const std::string& body) {
  return xtc::manifest::parse("schema_version = 1\n" + body, "m.toml");
}

Selection pick(const Manifest& manifest, const std::string& target,
               const std::string& host = "x86_64-linux",
               std::optional<Flavor> flavor = std::nullopt) {
  return xtc::manifest::select(manifest, xtc::triple::parse(target), host,
                               flavor);
}

xtc::Error pick_error(const Manifest& manifest, const std::string& target,
                      const std::string& host = "x86_64-linux",
                      std::optional<Flavor> flavor = std::nullopt) {
  try {
    (void)pick(manifest, target, host, flavor);
  } catch (const xtc::Error& error) {
    return error;
  }
  FAIL("selecting " << target << " succeeded but should not");
  return xtc::Error("");
}

const char* id_of(const xtc::manifest::Artifact* artifact) {
  return artifact == nullptr ? "(none)" : artifact->id.c_str();
}

} // namespace

TEST_CASE("without a flavor, gcc wins over llvm over zig", "[manifest]") {
  const Manifest all = manifest_of(
      toolchain("zig", "zig", "any", "x86_64-linux") +
      sysroot("sr-a64", "aarch64-linux-gnu", "any") +
      toolchain("gcc-a64", "gcc", "aarch64-linux-gnu", "x86_64-linux"));
  Selection s = pick(all, "aarch64-linux-gnu");
  CHECK(s.flavor == Flavor::gcc);
  CHECK(std::string(id_of(s.toolchain)) == "gcc-a64");
  CHECK(s.sysroot == nullptr);

  // No gcc for this host: the sysroot makes it llvm.
  s = pick(all, "aarch64-linux-gnu", "aarch64-darwin");
  CHECK(s.flavor == Flavor::llvm);
  CHECK(std::string(id_of(s.sysroot)) == "sr-a64");
  CHECK(s.toolchain == nullptr);

  // Neither gcc nor a sysroot for musl: zig, which targets anything.
  s = pick(all, "aarch64-linux-musl");
  CHECK(s.flavor == Flavor::zig);
  CHECK(std::string(id_of(s.toolchain)) == "zig");
  CHECK(s.sysroot == nullptr);
}

TEST_CASE("a requested flavor is honoured", "[manifest]") {
  const Manifest all = manifest_of(
      toolchain("gcc-a64", "gcc", "aarch64-linux-gnu", "x86_64-linux") +
      sysroot("sr-a64", "aarch64-linux-gnu", "any") +
      toolchain("zig", "zig", "any", "x86_64-linux"));
  Selection s = pick(all, "aarch64-linux-gnu", "x86_64-linux", Flavor::llvm);
  CHECK(s.flavor == Flavor::llvm);
  CHECK(std::string(id_of(s.sysroot)) == "sr-a64");

  // zig takes the matching sysroot along when the manifest has one.
  s = pick(all, "aarch64-linux-gnu", "x86_64-linux", Flavor::zig);
  CHECK(s.flavor == Flavor::zig);
  CHECK(std::string(id_of(s.toolchain)) == "zig");
  CHECK(std::string(id_of(s.sysroot)) == "sr-a64");
}

TEST_CASE("the first fitting artifact in manifest order wins", "[manifest]") {
  const Manifest m = manifest_of(
      toolchain("gcc-arm-host", "gcc", "x86_64-linux-musl", "aarch64-linux") +
      toolchain("gcc-one", "gcc", "x86_64-linux-musl", "x86_64-linux") +
      toolchain("gcc-two", "gcc", "x86_64-unknown-linux-musl", "x86_64-linux"));
  CHECK(std::string(id_of(pick(m, "x86_64-linux-musl").toolchain)) ==
        "gcc-one");
  CHECK(std::string(
            id_of(pick(m, "x86_64-linux-musl", "aarch64-linux").toolchain)) ==
        "gcc-arm-host");
}

TEST_CASE("arch and libc must both match", "[manifest]") {
  const Manifest m = manifest_of(
      toolchain("gcc-x64-gnu", "gcc", "x86_64-linux-gnu", "x86_64-linux") +
      toolchain("gcc-a64-musl", "gcc", "aarch64-linux-musl", "x86_64-linux"));
  CHECK(std::string(id_of(pick(m, "aarch64-linux-musl").toolchain)) ==
        "gcc-a64-musl");
  CHECK(pick_error(m, "aarch64-linux-gnu").message() ==
        "no toolchain for 'aarch64-linux-gnu' on host x86_64-linux in "
        "manifest 'm.toml'");
  CHECK(pick_error(m, "x86_64-linux-musl")
            .message()
            .find("'x86_64-linux-musl'") != std::string::npos);
}

TEST_CASE("a glibc pin is a floor: the newest toolchain that meets it",
          "[manifest]") {
  const Manifest m = manifest_of(
      toolchain("gcc-236", "gcc", "aarch64-linux-gnu", "x86_64-linux", "2.36") +
      toolchain("gcc-217", "gcc", "aarch64-linux-gnu", "x86_64-linux", "2.17") +
      sysroot("sr-231", "aarch64-linux-gnu", "any", "2.31") +
      sysroot("sr-nover", "aarch64-linux-gnu", "any"));
  // Unpinned: as before, the first gcc toolchain.
  CHECK(std::string(id_of(pick(m, "aarch64-linux-gnu").toolchain)) ==
        "gcc-236");
  CHECK(std::string(id_of(pick(m, "aarch64-linux-gnu.2.17").toolchain)) ==
        "gcc-217");
  // 2.28: gcc's 2.17 is the newest at most 2.28.
  CHECK(std::string(id_of(pick(m, "aarch64-linux-gnu.2.28").toolchain)) ==
        "gcc-217");
  // 2.31 and 2.33: llvm's 2.31 sysroot is newer than gcc's 2.17.
  for (const char* pin : {"aarch64-linux-gnu.2.31", "aarch64-linux-gnu.2.33"}) {
    const Selection s = pick(m, pin);
    CHECK(s.flavor == Flavor::llvm);
    CHECK(std::string(id_of(s.sysroot)) == "sr-231");
  }
  CHECK(std::string(id_of(pick(m, "aarch64-linux-gnu.2.36").toolchain)) ==
        "gcc-236");
  // A flavor asked for: the newest of that flavor that meets the floor.
  CHECK(std::string(
            id_of(pick(m, "aarch64-linux-gnu.2.40", "x86_64-linux", Flavor::gcc)
                      .toolchain)) == "gcc-236");
  // 2.9 < 2.17 numerically: nothing meets it, and the error says what the
  // oldest is.
  const xtc::Error e = pick_error(m, "aarch64-linux-gnu.2.9");
  CHECK(e.message() == "nothing in manifest 'm.toml' meets the glibc floor "
                       "of 'aarch64-linux-gnu.2.9' on host x86_64-linux: the "
                       "oldest glibc offered is 2.17 ('gcc-217')");
  CHECK(e.hint().find("older release of its producer") != std::string::npos);
}

TEST_CASE("below every floor, the zig flavor is named, not installed",
          "[manifest]") {
  const Manifest m =
      manifest_of(sysroot("sr-231", "x86_64-linux-gnu", "any", "2.31") +
                  sysroot("sr-236", "x86_64-linux-gnu", "any", "2.36") +
                  toolchain("zig", "zig", "any", "x86_64-linux"));
  CHECK(std::string(id_of(pick(m, "x86_64-linux-gnu.2.33").sysroot)) ==
        "sr-231");
  const xtc::Error e = pick_error(m, "x86_64-linux-gnu.2.28");
  CHECK(e.message() == "nothing in manifest 'm.toml' meets the glibc floor "
                       "of 'x86_64-linux-gnu.2.28' on host x86_64-linux: the "
                       "oldest glibc offered is 2.31 ('sr-231')");
  CHECK(e.hint() == "the zig flavor builds against any glibc from 2.17 up: "
                    "xtc target add x86_64-linux-gnu.2.28 --flavor zig");
  CHECK_THROWS_AS(
      pick(m, "x86_64-linux-gnu.2.28", "x86_64-linux", Flavor::llvm),
      xtc::Error);
  // Asked for, zig builds for the floor.
  CHECK(pick(m, "x86_64-linux-gnu.2.28", "x86_64-linux", Flavor::zig).flavor ==
        Flavor::zig);
  // A manifest with zig alone for the target: zig, as without a pin.
  const Manifest zig_only =
      manifest_of(toolchain("zig", "zig", "any", "x86_64-linux"));
  CHECK(pick(zig_only, "x86_64-linux-gnu.2.17").flavor == Flavor::zig);
}

TEST_CASE("zig ignores the glibc pin but its sysroot does not", "[manifest]") {
  const Manifest m =
      manifest_of(toolchain("zig", "zig", "any", "x86_64-linux") +
                  sysroot("sr-236", "x86_64-linux-gnu", "any", "2.36"));
  Selection s = pick(m, "x86_64-linux-gnu.2.17", "x86_64-linux", Flavor::zig);
  CHECK(std::string(id_of(s.toolchain)) == "zig");
  CHECK(s.sysroot == nullptr);
  s = pick(m, "x86_64-linux-gnu.2.36", "x86_64-linux", Flavor::zig);
  CHECK(std::string(id_of(s.sysroot)) == "sr-236");
}

TEST_CASE("a missing flavor names the offers and the flavor to try",
          "[manifest]") {
  const Manifest m = manifest_of(
      sysroot("sr-x64-musl", "x86_64-linux-musl", "any") +
      toolchain("gcc-a64", "gcc", "aarch64-linux-gnu", "x86_64-linux") +
      sysroot("sr-a64", "aarch64-linux-gnu", "any") +
      toolchain("gcc-mac", "gcc", "riscv64-linux-gnu", "aarch64-darwin"));
  xtc::Error e =
      pick_error(m, "x86_64-linux-musl", "x86_64-linux", Flavor::gcc);
  CHECK(e.message() == "no gcc toolchain for 'x86_64-linux-musl' on host "
                       "x86_64-linux in manifest 'm.toml'");
  CHECK(e.hint() == "this manifest offers: x86_64-linux-musl (llvm), "
                    "aarch64-linux-gnu (gcc, llvm); try --flavor llvm");
  CHECK(e.code() == xtc::ExitCode::failure);

  e = pick_error(m, "riscv64-linux-gnu", "x86_64-linux", Flavor::zig);
  CHECK(e.message() == "no zig toolchain for 'riscv64-linux-gnu' on host "
                       "x86_64-linux in manifest 'm.toml'");
  CHECK(e.hint().find("try --flavor") == std::string::npos);
}

TEST_CASE("a host with nothing says so", "[manifest]") {
  const Manifest m = manifest_of(
      toolchain("gcc-a64", "gcc", "aarch64-linux-gnu", "x86_64-linux"));
  const xtc::Error e = pick_error(m, "aarch64-linux-gnu", "aarch64-darwin");
  CHECK(e.message() == "no toolchain for 'aarch64-linux-gnu' on host "
                       "aarch64-darwin in manifest 'm.toml'");
  CHECK(e.hint() == "this manifest has nothing that runs on aarch64-darwin");
}

TEST_CASE("runs_on accepts the exact host and 'any'", "[manifest]") {
  const Manifest m =
      manifest_of(toolchain("gcc", "gcc", "aarch64-linux-gnu", "x86_64-linux") +
                  sysroot("sr", "aarch64-linux-gnu", "any"));
  CHECK(xtc::manifest::runs_on(m.artifacts[0], "x86_64-linux"));
  CHECK_FALSE(xtc::manifest::runs_on(m.artifacts[0], "aarch64-linux"));
  CHECK(xtc::manifest::runs_on(m.artifacts[1], "aarch64-darwin"));
}

TEST_CASE("a row the host's version cannot run is skipped, and said so",
          "[manifest]") {
  const Manifest m = manifest_of(
      std::string("[[artifact]]\nid = \"filo-26\"\nkind = \"toolchain\"\n"
                  "flavor = \"gcc\"\ntarget = \"x86_64-linux-musl\"\n"
                  "host = \"aarch64-darwin\"\nmin_host_version = \"26\"\n"
                  "version = \"1\"\nurls = [\"https://h/t.tar.gz\"]\n"
                  "sha256 = \"") +
      std::string(64, 'a') +
      "\"\nformat = \"tar.gz\"\n[artifact.tools]\ncc = \"bin/cc\"\n" +
      std::string("[[artifact]]\nid = \"filo-15\"\nkind = \"toolchain\"\n"
                  "flavor = \"gcc\"\ntarget = \"x86_64-linux-musl\"\n"
                  "host = \"aarch64-darwin\"\nmin_host_version = \"15\"\n"
                  "version = \"1\"\nurls = [\"https://h/s.tar.gz\"]\n"
                  "sha256 = \"") +
      std::string(64, 'b') +
      "\"\nformat = \"tar.gz\"\n[artifact.tools]\ncc = \"bin/cc\"\n");
  const auto on = [&](std::optional<std::string> version) {
    return xtc::manifest::select(
        m, xtc::triple::parse("x86_64-linux-musl"),
        xtc::manifest::Host{"aarch64-darwin", std::move(version)}, {});
  };
  CHECK(on("26.1").toolchain->id == "filo-26");
  CHECK(on("15.3").toolchain->id == "filo-15");
  CHECK(on(std::nullopt).toolchain->id == "filo-26"); // unknown: not held
  try {
    on("14.6");
    FAIL("a macOS 14 host got a bottle for 15");
  } catch (const xtc::Error& error) {
    CHECK(error.message() == "no toolchain for 'x86_64-linux-musl' on host "
                             "aarch64-darwin in manifest 'm.toml'");
    CHECK(error.hint() ==
          "this manifest has nothing that runs on aarch64-darwin; not here "
          "(this Mac runs macOS 14.6): 'filo-26' needs macOS 26 or newer, "
          "'filo-15' needs macOS 15 or newer");
  }
  try {
    manifest_of("[[artifact]]\nid = \"x\"\nkind = \"toolchain\"\nflavor = "
                "\"gcc\"\ntarget = \"x86_64-linux-musl\"\nhost = \"any\"\n"
                "min_host_version = \"15\"\nversion = \"1\"\n");
    FAIL("a host requirement on a row for any host was accepted");
  } catch (const xtc::Error& error) {
    CHECK(error.message().find("key 'min_host_version'") != std::string::npos);
  }
}

namespace {

std::string made_by(std::string row, const std::string& producer) {
  return row.insert(row.find("version = "),
                    fmt::format("producer = \"{}\"\n", producer));
}

Selection pick_from(const Manifest& manifest, const std::string& target,
                    const std::string& producer,
                    std::optional<Flavor> flavor = std::nullopt) {
  return xtc::manifest::select(manifest, xtc::triple::parse(target),
                               "x86_64-linux", flavor, producer);
}

xtc::Error pick_from_error(const Manifest& manifest, const std::string& target,
                           const std::string& producer,
                           std::optional<Flavor> flavor = std::nullopt) {
  try {
    (void)pick_from(manifest, target, producer, flavor);
  } catch (const xtc::Error& error) {
    return error;
  }
  FAIL("selecting " << target << " from " << producer
                    << " succeeded but should not");
  return xtc::Error("");
}

// messense first, then FiloSottile's musl-cross for the same target, a
// bootlin sysroot, and zig.
Manifest two_producers() {
  return manifest_of(
      made_by(toolchain("messense-musl", "gcc", "x86_64-linux-musl",
                        "x86_64-linux"),
              "messense") +
      made_by(
          toolchain("filo-musl", "gcc", "x86_64-linux-musl", "x86_64-linux"),
          "filosottile") +
      made_by(
          toolchain("messense-a64", "gcc", "aarch64-linux-gnu", "x86_64-linux"),
          "messense") +
      made_by(sysroot("bootlin-sr-musl", "x86_64-linux-musl", "any"),
              "bootlin") +
      made_by(toolchain("zig", "zig", "any", "x86_64-linux"), "zig"));
}

} // namespace

TEST_CASE("a requested producer wins over the manifest's order", "[manifest]") {
  const Manifest m = two_producers();
  Selection s = pick(m, "x86_64-linux-musl");
  CHECK(std::string(id_of(s.toolchain)) == "messense-musl");
  CHECK_FALSE(s.producer.has_value());
  CHECK(s.chosen_producer() == "messense");

  s = pick_from(m, "x86_64-linux-musl", "filosottile");
  CHECK(s.flavor == Flavor::gcc);
  CHECK(std::string(id_of(s.toolchain)) == "filo-musl");
  CHECK(s.producer == "filosottile");
  CHECK(s.chosen_producer() == "filosottile");

  // The producer decides the flavor when none is asked for: bootlin only
  // has a sysroot here, so llvm; zig only a zig toolchain.
  s = pick_from(m, "x86_64-linux-musl", "bootlin");
  CHECK(s.flavor == Flavor::llvm);
  CHECK(std::string(id_of(s.sysroot)) == "bootlin-sr-musl");
  s = pick_from(m, "x86_64-linux-musl", "zig");
  CHECK(s.flavor == Flavor::zig);
  CHECK(std::string(id_of(s.toolchain)) == "zig");
}

TEST_CASE("an unknown producer lists the manifest's producers", "[manifest]") {
  const Manifest m = two_producers();
  xtc::Error e = pick_from_error(m, "x86_64-linux-musl", "filosotile");
  CHECK(e.message() == "unknown producer 'filosotile' in manifest 'm.toml'");
  CHECK(e.hint() == "did you mean 'filosottile'? its producers are messense, "
                    "filosottile, bootlin, zig");
  e = pick_from_error(m, "x86_64-linux-musl", "crosstool");
  CHECK(e.hint() == "its producers are messense, filosottile, bootlin, zig");
}

TEST_CASE("a producer without the target names who offers it here",
          "[manifest]") {
  const Manifest m = two_producers();
  xtc::Error e = pick_from_error(m, "aarch64-linux-gnu", "filosottile");
  CHECK(e.message() == "producer 'filosottile' offers no toolchain for "
                       "'aarch64-linux-gnu' on host x86_64-linux in manifest "
                       "'m.toml'");
  CHECK(e.hint() == "on x86_64-linux, 'aarch64-linux-gnu' comes as gcc from "
                    "messense, zig from zig: choose one of them with "
                    "--producer, or leave it out for the default");

  e = pick_from_error(m, "x86_64-linux-musl", "filosottile", Flavor::llvm);
  CHECK(e.message() == "producer 'filosottile' offers no llvm toolchain for "
                       "'x86_64-linux-musl' on host x86_64-linux in manifest "
                       "'m.toml'");
  CHECK(e.hint() == "on x86_64-linux, 'x86_64-linux-musl' comes as gcc from "
                    "messense or filosottile, llvm from bootlin, zig from "
                    "zig: choose one of them with --producer, or leave it "
                    "out for the default");
}
