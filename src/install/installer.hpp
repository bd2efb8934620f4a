// Orchestrates an install: resolve -> fetch -> verify -> unpack -> commit,
// then the target's record, its shim resolution and the shim links. This is
// the only module that sees all the others.
//
// Invariants: an artifact appears under toolchains/<id> whole or not at
// all (staged under tmp/, renamed into place); concurrent installs of the
// same artifact serialise on locks/artifact-<id>.lock and the second reuses
// the first's work; targets/ and bin/ change under locks/targets.lock.
#pragma once

#include "base/env.hpp"
#include "fetch/download.hpp"
#include "manifest/manifest.hpp"
#include "store/store.hpp"
#include "store/target_record.hpp"
#include "triple/triple.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace xtc::install {

// A triple with the artifacts chosen for it: the plan is computed (and all
// input validated) before anything is written.
struct Planned {
  triple::Triple target;
  manifest::Selection selection;
};

class Installer {
public:
  // shim_source: the xtc-shim binary to copy into $XTC_HOME/bin.
  Installer(store::Store& store, const Env& env, fetch::Options fetch_options,
            std::filesystem::path shim_source);

  // Whether an added variant becomes the triple's default install.
  enum class MakeDefault { always, when_none };

  // Installs the planned artifacts (reusing installed ones), writes the
  // variant's record and shim resolution (targets/<gnu>@<variant>.*), makes
  // it the default install (targets/<gnu>.*) as asked, and links the shims.
  // Returns the record. Throws xtc::Error; the store is unchanged for what
  // failed.
  store::TargetRecord add(const Planned& planned,
                          MakeDefault make_default = MakeDefault::always);

  // Removes the target's records and resolutions (every variant) and its
  // shims, then every install no remaining target uses. Returns false when
  // it was not installed.
  bool remove(const triple::Triple& target);

private:
  void install_artifact(const manifest::Artifact& artifact);
  void link_shims(const std::string& gnu);

  store::Store& m_store;
  const Env& m_env;
  fetch::Options m_fetch_options;
  std::filesystem::path m_shim_source;
};

// Where the xtc-shim binary is for the running xtc: XTC_SHIM_BINARY, else
// beside xtc (build tree), else <prefix>/libexec/xtc/xtc-shim (installed).
std::filesystem::path find_shim_binary(const Env& env,
                                       const std::filesystem::path& xtc_exe);

} // namespace xtc::install
