// The layout of $XTC_HOME (default ~/.xtc). Only paths: this file does no I/O
// so the shim can use it without pulling in the rest of the store.
//
//   bin/                    shims: one small binary, many names
//   toolchains/<id>/        one installed artifact each, with receipt.toml
//   targets/<triple>.toml   what an installed triple uses (for people, xtc)
//   targets/<triple>.shim   the same, precomputed for the shim's hot path
//   targets/<triple>@<variant>.toml, .shim
//                           one installed variant ("llvm", "gcc-2.31");
//                           <triple>.toml/.shim are a copy of the default one
//   cache/<sha256>          verified downloads (<sha256>.part while loading)
//   cache/zig/              zig's compiler caches, for the zig flavor's shims
//   manifests/              fetched manifests, accepted.toml (newest signed)
//   keys/                   trusted manifest keys (<KEY ID>.pub)
//   config.toml             the user's settings (see store/settings.hpp)
//   locks/                  flock files
//   tmp/                    staging directories, swept on the next run
#pragma once

#include "base/env.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace xtc::store {

class Layout {
public:
  explicit Layout(std::filesystem::path root);

  // $XTC_HOME when set, else $HOME/.xtc. Relative XTC_HOME is taken from the
  // working directory. Throws xtc::Error when neither HOME nor XTC_HOME is set.
  static Layout from_env(const Env& env);

  const std::filesystem::path& root() const noexcept { return m_root; }
  std::filesystem::path bin() const { return m_root / "bin"; }
  std::filesystem::path toolchains() const { return m_root / "toolchains"; }
  std::filesystem::path toolchain(std::string_view id) const;
  std::filesystem::path targets() const { return m_root / "targets"; }
  // targets/<gnu triple>.toml
  std::filesystem::path target_record(std::string_view gnu_triple) const;
  // targets/<gnu triple>.shim
  std::filesystem::path shim_resolution(std::string_view gnu_triple) const;
  // targets/<gnu triple>@<variant>.toml and .shim
  std::filesystem::path variant_record(std::string_view gnu_triple,
                                       std::string_view variant) const;
  std::filesystem::path variant_resolution(std::string_view gnu_triple,
                                           std::string_view variant) const;
  std::filesystem::path cache() const { return m_root / "cache"; }
  std::filesystem::path cache_entry(std::string_view sha256_hex) const;
  std::filesystem::path manifests() const { return m_root / "manifests"; }
  std::filesystem::path keys() const { return m_root / "keys"; }
  std::filesystem::path settings() const { return m_root / "config.toml"; }
  std::filesystem::path locks() const { return m_root / "locks"; }
  std::filesystem::path lock(std::string_view name) const;
  std::filesystem::path tmp() const { return m_root / "tmp"; }
  // The shim binary every tool name in bin/ links to.
  std::filesystem::path shim_binary() const { return bin() / ".xtc-shim"; }

private:
  std::filesystem::path m_root;
};

} // namespace xtc::store
