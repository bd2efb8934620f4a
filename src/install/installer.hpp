// Orchestrates an install: resolve -> fetch -> verify -> unpack -> commit,
// then the target's record, its shim resolution and the shim links. This is
// the only module that sees all the others.
//
// Invariants: an artifact appears under toolchains/<id> whole or not at
// all (staged under tmp/, renamed into place); concurrent installs of the
// same artifact serialise on locks/artifact-<id>.lock and the second reuses
// the first's work; targets/ and bin/ change under locks/targets.lock.
// Artifacts download in parallel, each unpacked while it downloads; every
// install holds locks/cache.lock shared, which `xtc gc` takes exclusively.
#pragma once

#include "base/env.hpp"
#include "fetch/download.hpp"
#include "manifest/manifest.hpp"
#include "platform/fs.hpp"
#include "store/store.hpp"
#include "store/target_record.hpp"
#include "triple/triple.hpp"

#include <atomic>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
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

  // Installs every artifact the plans need, up to `jobs` at a time (each
  // download unpacked as it arrives). On the first failure the others are
  // cancelled and that failure is thrown once they have all unwound; what
  // did not finish left nothing in the store.
  void install_artifacts(const std::vector<Planned>& plans, unsigned jobs);

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
  // Installs once per run; later calls for the same id return at once.
  void install_artifact(const manifest::Artifact& artifact);
  void install_artifact_once(const manifest::Artifact& artifact);
  void link_shims(const std::string& gnu);
  // Links probe programs with a glibc-pinned target's tools (before its
  // record exists) and throws xtc::Error when they need a newer glibc than
  // the pin: the promise a pin makes, checked.
  void check_floor(const store::TargetRecord& record,
                   const triple::Triple& target) const;

  store::Store& m_store;
  const Env& m_env;
  fetch::Options m_fetch_options;
  std::filesystem::path m_shim_source;
  std::atomic<bool> m_cancel{false}; // a parallel install failed
  // The store's file system, probed once, before the first unpack.
  std::once_flag m_probed;
  platform::FileSystemTraits m_file_system;
  std::mutex m_ready_mutex;
  std::set<std::string> m_ready; // ids installed (or found) by this run
};

// The number of parallel downloads: XTC_JOBS when set, else 4. Throws a
// usage error for a value that is not a number from 1 to 64.
unsigned jobs_from_env(const Env& env);

// Where the xtc-shim binary is for the running xtc: XTC_SHIM_BINARY, else
// beside xtc (build tree), else <prefix>/libexec/xtc/xtc-shim (installed).
std::filesystem::path find_shim_binary(const Env& env,
                                       const std::filesystem::path& xtc_exe);

} // namespace xtc::install
