// What every subcommand needs: the environment snapshot, global flags, and
// the derived pieces (store layout, manifest, download options). Building
// these is lazy so `xtc --version` touches nothing.
#pragma once

#include "base/env.hpp"
#include "fetch/download.hpp"
#include "manifest/manifest.hpp"
#include "manifest/saved.hpp"
#include "project/cargo_config.hpp"
#include "store/layout.hpp"
#include "store/target_record.hpp"

#include <cstdint>
#include <filesystem>
#include <string>

namespace xtc::cli {

struct Context {
  Env env;
  std::filesystem::path self; // the running xtc executable
  std::string manifest_arg;   // --manifest PATH|URL
  bool quiet = false;
  bool verbose = false;
  bool allow_unsigned = false; // --allow-unsigned (local manifest files only)
  bool offline = false;        // --offline of the command that runs

  // --offline, or XTC_OFFLINE set to 1/true/yes/on. Throws xtc::Error on
  // another value of XTC_OFFLINE.
  bool is_offline() const;

  store::Layout layout() const;
  fetch::Options fetch_options() const;
  // Loads --manifest, else $XTC_MANIFEST, else the newer of the manifest
  // shipped with xtc and the one `xtc update` saved from the channel, and
  // checks its signature (<manifest>.minisig beside it) against the
  // trusted keys and the record of accepted manifests before parsing it.
  // Offline, the copy of a URL manifest saved by remember_manifest stands in
  // for the URL (checked again the same way). Writes nothing. Throws
  // xtc::Error when none is found, it is unsigned, badly signed, older than
  // one accepted before, or invalid.
  manifest::Manifest load_manifest() const;
  // Records a signed manifest as accepted, so an older one is refused from
  // now on, and saves one fetched from a URL for --offline; call once the
  // command commits to using it.
  void remember_manifest(const manifest::Manifest& manifest) const;
  // Where verified URL manifests are saved ($XTC_HOME/manifests/saved).
  manifest::SavedManifests saved_manifests() const;
  // The URL `xtc update` fetches: $XTC_CHANNEL, else `channel` in
  // $XTC_HOME/config.toml, else the project's release channel.
  std::string channel() const;
  // Whether --manifest or $XTC_MANIFEST names the manifest, so the default
  // one (shipped or updated) is not used.
  bool manifest_chosen() const;
  // A URL manifest and its .minisig as fetched; throws xtc::Error "manifest
  // '<url>' is not signed: …" (with `unsigned_hint`) when the signature
  // cannot be fetched.
  struct FetchedManifest {
    std::string text;
    std::string signature_url;
    std::string signature;
  };
  FetchedManifest fetch_manifest(const std::string& url,
                                 std::string_view unsigned_hint) const;
  // Checks a signed manifest's freshness and parses it.
  manifest::Manifest accept(std::string_view text,
                            const manifest::Signed& checked,
                            const std::string& source) const;
  // What xtc writes into a Cargo config for `target`
  // (project::cargo_target_settings, plus the runner for a target this host
  // runs under qemu-user). `absolute` names the shims and xtc by path.
  project::CargoTargetSettings cargo_settings(const triple::Triple& target,
                                              bool absolute) const;
  // Built-in keys, then $XTC_TRUSTED_KEYS files (colon-separated), then
  // $XTC_HOME/keys. Throws xtc::Error naming a damaged key file.
  std::vector<manifest::TrustedKey> trusted_keys() const;
  // <prefix>/share/xtc/manifests/xtc.toml beside this xtc's bin/.
  std::filesystem::path shipped_manifest() const;
  // The default manifest load_manifest() reads without --manifest, for the
  // channel `url` (channel()).
  manifest::Manifest load_default_manifest(const std::string& url) const;
};

// Whether a manifest source is a URL (https://, http://, file://) rather
// than a path.
bool is_url(const std::string& text);

// This machine, as manifest rows are chosen for it: its platform and its
// macOS or glibc version.
manifest::Host this_host();

// ", glibc 2.31" / ", musl 1.2.3" for a target record that knows its C
// library's version, else "": what status lines and listings append.
std::string libc_label(const store::TargetRecord& record);

// ", from filosottile" for a target record that knows its producer, else "".
std::string producer_label(const store::TargetRecord& record);

// "2026-11-30": the UTC day of a signature's timestamp.
std::string date_of(std::uint64_t timestamp);

// "signed 2026-11-30, 3 days ago" ("today", "1 day ago") as of `now`.
std::string signed_age(std::uint64_t timestamp, std::int64_t now);

} // namespace xtc::cli
