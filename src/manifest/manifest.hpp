// The artifact manifest: a TOML document (schema_version = 1) listing
// downloadable toolchains and sysroots. Parsing turns the whole document into
// typed values or fails with the file, the artifact, the key and what is
// wrong; nothing downstream sees TOML. Artifacts appear in preference order:
// the first that fits wins.
//
//   schema_version = 1
//   [[artifact]]
//   id = "gcc-aarch64-linux-gnu"      # [a-z0-9._+-], unique
//   kind = "toolchain"                # toolchain | sysroot
//   flavor = "gcc"                    # toolchain only: gcc | zig
//   target = "aarch64-linux-gnu"      # any triple spelling; "any" for zig
//   host = "x86_64-linux"             # x86_64-linux, aarch64-linux,
//                                     # x86_64-darwin, aarch64-darwin, any
//   min_host_version = "15"           # optional: the oldest host it runs on:
//                                     # macOS for a darwin host, the host's
//                                     # glibc for a linux one
//   producer = "messense"             # optional: who builds it, lower-case
//                                     # letters, digits and '-' ("bootlin",
//                                     # "filosottile", "zig"); `--producer`
//                                     # and a pin's producer choose by it
//   version = "12.2.0"
//   libc = "glibc"                    # optional; glibc | musl
//   libc_version = "2.36"             # optional
//   urls = ["https://…/gcc-aarch64-linux-gnu.tar.xz"]   # mirrors, in order
//   sha256 = "<64 hex digits>"
//   size = 28311552                   # bytes of the download; optional,
//                                     # only for producers that publish no
//                                     # size (the sha256 still checks it)
//   format = "tar.xz"                 # tar, tar.gz, tar.xz, tar.zst, tar.bz2,
//                                     # zip, deb
//   strip_components = 0              # optional, default 0
//   max_unpacked_size = 3000000000    # optional: bytes the archive unpacks
//                                     # to at most, replacing xtc's bound
//                                     # (40 times the archive, at least
//                                     # 64 MiB)
//   minisign_key = "RWS…"             # optional: the producer's minisign
//                                     # key; each download must then come
//                                     # with <url>.minisig signed by it
//   sysroot = "."                     # optional: --sysroot, relative to the
//                                     # install root
//   cflags = ["--gcc-toolchain={root}/usr"]  # optional extra compiler flags;
//                                     # {root} is the install root
//   [artifact.tools]                  # toolchain only: tool -> relative path
//   cc = "usr/bin/aarch64-linux-gnu-gcc-12"
//   cxx = "usr/bin/aarch64-linux-gnu-g++-12"
//   ar = "usr/bin/aarch64-linux-gnu-ar"   # also ranlib strip nm objcopy ld,
//                                     # and (found beside cc when left out)
//                                     # cpp as objdump readelf size strings
//                                     # addr2line c++filt ld.bfd ld.gold
//                                     # gcc-ar gcc-nm gcc-ranlib
#pragma once

#include "manifest/signature.hpp"
#include "triple/triple.hpp"
#include "verify/minisign.hpp"
#include "verify/sha256.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xtc::manifest {

enum class Kind { toolchain, sysroot };
enum class Flavor { gcc, llvm, zig };

// "gcc" / "llvm" / "zig"; parse_flavor throws a usage error with a
// suggestion for anything else.
std::string flavor_name(Flavor flavor);
Flavor parse_flavor(std::string_view name);

// The tool names a toolchain may map, in shim order.
const std::vector<std::string>& tool_names();

struct Artifact {
  std::string id;
  Kind kind = Kind::toolchain;
  std::optional<Flavor> flavor; // set for toolchains
  // nullopt: any target (zig). Never pinned: a pin written in the manifest's
  // target ("x86_64-linux-gnu.2.17") is stored in libc_version.
  std::optional<triple::Triple> target;
  std::string host; // "x86_64-linux" … or "any"
  // The oldest macOS (darwin hosts) or glibc (linux hosts) it runs on.
  std::optional<std::string> min_host_version;
  // Who builds it ("messense", "bootlin", "filosottile", "zig"); nullopt
  // when the manifest does not say.
  std::optional<std::string> producer;
  std::string version;
  std::optional<std::string> libc;
  std::optional<std::string> libc_version;
  std::vector<std::string> urls;
  verify::Sha256Digest sha256;
  std::uint64_t size = 0;              // 0: the producer publishes no size
  std::uint64_t max_unpacked_size = 0; // 0: xtc's bound (installer.cpp)
  std::string format;
  unsigned strip_components = 0;
  // The producer's own signing key: xtc checks <url>.minisig by it after a
  // download, on top of the sha256 this (signed) manifest pins.
  std::optional<verify::MinisignKey> minisign_key;
  // Where that signature is besides <url>.minisig: a mirror's copy (a
  // registry blob has no "<url>.minisig"). Tried first.
  std::vector<std::string> signature_urls;
  std::optional<std::string> sysroot;
  std::vector<std::string> cflags;
  std::map<std::string, std::string> tools;
};

struct Manifest {
  int schema_version = 1;
  std::string source; // path or URL it was read from, for messages
  std::string text;   // the text it was parsed from (xtc mirror rewrites it)
  std::vector<Artifact> artifacts;
  // Set when the manifest's signature was checked (see signature.hpp).
  std::optional<Signed> signature;
  // For a manifest fetched from a URL: the text and signature as they
  // arrived, for the command to save (for --offline) once it commits to
  // using the manifest.
  struct Download {
    std::string text;
    std::string signature;
  };
  std::optional<Download> download;

  const Artifact* find(std::string_view id) const;
  // The producers its artifacts name, each once, in manifest order.
  std::vector<std::string> producers() const;
};

// Parses manifest text. Throws xtc::Error "invalid manifest '<source>':
// artifact 3 ('<id>'): key 'sha256': expected 64 hex digits" (or with a
// line:column for TOML syntax errors).
Manifest parse(std::string_view text, std::string_view source);

// Reads and parses a manifest file.
Manifest load_file(const std::filesystem::path& path);

// The machine xtc runs on: its platform ("aarch64-darwin") and, when known,
// its OS version for manifest rows that need a newer one (macOS "14.6";
// for Linux, its glibc "2.36"). Built from a platform string alone, the
// version is unknown and no row is skipped for it.
struct Host {
  std::string platform;
  std::optional<std::string> version;

  Host(std::string host_platform, std::optional<std::string> host_version)
      : platform(std::move(host_platform)), version(std::move(host_version)) {}
  Host(std::string_view host_platform) // NOLINT: a platform is a host
      : platform(host_platform) {}
  Host(const char* host_platform) // NOLINT: as above, for literals
      : platform(host_platform) {}
  Host(const std::string& host_platform) // NOLINT: as above
      : platform(host_platform) {}
};

// What `xtc target add` installs for one triple.
struct Selection {
  Flavor flavor = Flavor::gcc;
  const Artifact* toolchain = nullptr; // gcc/zig flavors
  const Artifact* sysroot = nullptr;   // llvm flavor (and zig when present)
  // The producer that was asked for (it names the installed variant);
  // nullopt when the preference order chose.
  std::optional<std::string> producer = {};

  // The producer of what was chosen: the toolchain's (gcc, zig) or the
  // sysroot's (llvm); nullopt when the manifest does not say.
  std::optional<std::string> chosen_producer() const;
};

// Chooses artifacts for `target` on `host`, honouring a requested flavor.
// Without one: a gcc toolchain if the manifest has one for this host, else
// the llvm flavor when a sysroot exists, else zig. A glibc version pin is a
// floor: of the gcc toolchains and llvm sysroots whose libc_version is at
// most the pin, the newest (gcc on a tie); when only newer ones exist, an
// error says so and names what would do (the zig flavor). Throws xtc::Error
// naming the triple, the host and the manifest, with a hint listing what it
// offers.
// A requested producer restricts every flavor to that producer's rows (the
// toolchain, and the sysroot of the llvm flavor). Throws xtc::Error listing
// the manifest's producers when no row names it, and naming the producers
// that do offer the target on this host when it does not.
Selection select(const Manifest& manifest, const triple::Triple& target,
                 const Host& host, std::optional<Flavor> flavor,
                 const std::optional<std::string>& producer = std::nullopt);

// Does the artifact run on host ("any" runs everywhere; a row with
// min_host_version runs on a host whose version is at least that, or
// unknown)?
bool runs_on(const Artifact& artifact, const Host& host);

// "needs macOS 15 or newer" / "needs glibc 2.31 or newer on the host" for a
// row with a host requirement, else "".
std::string host_requirement(const Artifact& artifact);

} // namespace xtc::manifest
