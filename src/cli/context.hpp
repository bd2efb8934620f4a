// What every subcommand needs: the environment snapshot, global flags, and
// the derived pieces (store layout, manifest, download options). Building
// these is lazy so `xtc --version` touches nothing.
#pragma once

#include "base/env.hpp"
#include "fetch/download.hpp"
#include "manifest/manifest.hpp"
#include "store/layout.hpp"

#include <filesystem>
#include <string>

namespace xtc::cli {

struct Context {
  Env env;
  std::filesystem::path self; // the running xtc executable
  std::string manifest_arg;   // --manifest PATH|URL
  bool quiet = false;
  bool verbose = false;

  store::Layout layout() const;
  fetch::Options fetch_options() const;
  // Loads --manifest, else $XTC_MANIFEST, else $XTC_HOME/manifests/xtc.toml
  // (from `xtc update`), else the manifest shipped with xtc. Throws
  // xtc::Error when none is found or it is invalid.
  manifest::Manifest load_manifest() const;
};

} // namespace xtc::cli
