#include "install/installer.hpp"

#include "base/diagnostics.hpp"
#include "base/error.hpp"
#include "base/strings.hpp"
#include "install/toolchain_spec.hpp"
#include "platform/atomic_file.hpp"
#include "platform/file_lock.hpp"
#include "platform/fs.hpp"
#include "shim/resolution.hpp"
#include "unpack/extract.hpp"
#include "verify/sha256.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <set>

namespace xtc::install {
namespace {

namespace fs = std::filesystem;
using platform::FileLock;

// An archive may not unpack to more than this multiple of its download
// size (plus a floor for tiny archives): stops decompression bombs while
// leaving room for xz's ~5x on toolchains.
constexpr std::uint64_t k_inflation_factor = 40;
constexpr std::uint64_t k_inflation_floor = 64ULL << 20U;
constexpr std::uint64_t k_max_entries = 500000;

bool same_inode(const fs::path& a, const fs::path& b) {
  struct stat sa {};
  struct stat sb {};
  return ::lstat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 &&
         sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

bool same_content(const fs::path& a, const fs::path& b) {
  const std::optional<std::string> left =
      platform::read_file_if_exists(a, "shim binary");
  return left && *left == platform::read_file(b, "shim binary");
}

} // namespace

Installer::Installer(store::Store& store, const Env& env,
                     fetch::Options fetch_options, fs::path shim_source)
    : m_store(store), m_env(env), m_fetch_options(std::move(fetch_options)),
      m_shim_source(std::move(shim_source)) {}

store::TargetRecord Installer::add(const Planned& planned) {
  for (const manifest::Artifact* artifact :
       {planned.selection.toolchain, planned.selection.sysroot}) {
    if (artifact != nullptr) {
      install_artifact(*artifact);
    }
  }
  const store::Layout& layout = m_store.layout();
  store::TargetRecord record =
      describe_target(planned.target, planned.selection, layout, m_env);

  const FileLock lock =
      FileLock::acquire(layout.lock("targets"), FileLock::Mode::exclusive);
  store::write_target_record(layout, record);
  platform::write_file_atomic(layout.shim_resolution(record.gnu),
                              shim::format_resolution(record.tools),
                              "shim resolution");
  link_shims(record.gnu);
  return record;
}

void Installer::install_artifact(const manifest::Artifact& artifact) {
  const store::Layout& layout = m_store.layout();
  const FileLock lock = FileLock::acquire(
      layout.lock("artifact-" + artifact.id), FileLock::Mode::exclusive);
  if (auto receipt = m_store.read_receipt(artifact.id)) {
    if (receipt->sha256 == artifact.sha256.hex()) {
      diag::verbose(fmt::format("{} {} is already installed", artifact.id,
                                artifact.version));
      return;
    }
    // The manifest now names different bytes under this id: replace it.
    m_store.remove_install(artifact.id);
  }

  const fs::path archive = layout.cache_entry(artifact.sha256.hex());
  fetch::download(
      {artifact.id, artifact.urls, artifact.sha256, artifact.size, archive},
      m_fetch_options);

  store::Staging staging(layout, artifact.id + "-");
  const std::uint64_t limit =
      std::max(artifact.size * k_inflation_factor, k_inflation_floor);
  const unpack::Extracted extracted =
      unpack::extract(archive, staging.path(),
                      {artifact.strip_components, {limit, k_max_entries}});
  // Per-file digests let an integrity check tell a damaged install from a
  // whole one; the files are still in the page cache, so this costs a
  // fraction of the unpack (SHA-256 runs at over 1 GB/s).
  std::vector<std::string> digests;
  digests.reserve(extracted.files.size());
  for (const std::string& file : extracted.files) {
    digests.push_back(
        verify::sha256_file(staging.path() / file, "installed file").hex());
  }
  store::Store::write_receipt(
      staging.path(),
      {artifact.id,
       artifact.kind == manifest::Kind::toolchain ? "toolchain" : "sysroot",
       artifact.version, artifact.sha256.hex(), artifact.urls.front(),
       extracted.bytes, extracted.files, std::move(digests)});
  staging.commit(layout.toolchain(artifact.id));
  diag::info(fmt::format("installed {} {} ({} files, {})", artifact.id,
                         artifact.version, extracted.files.size(),
                         human_bytes(extracted.bytes)));
}

void Installer::link_shims(const std::string& gnu) {
  const store::Layout& layout = m_store.layout();
  platform::make_directories(layout.bin(), "shim directory");
  const fs::path shim = layout.shim_binary();
  // A new xtc may bring a new shim. Replacing the file gives it a new inode,
  // so every existing hard link must be made again, not only this target's.
  const bool refreshed = !same_content(shim, m_shim_source);
  if (refreshed) {
    platform::copy_file_atomic(m_shim_source, shim, "shim binary");
  }
  std::set<std::string> prefixes = {gnu};
  if (refreshed) {
    for (const store::TargetRecord& record :
         store::list_target_records(layout)) {
      prefixes.insert(record.gnu);
    }
  }
  for (const std::string& prefix : prefixes) {
    for (const shim::ShimName& name : shim::shim_names()) {
      const fs::path link = layout.bin() / (prefix + "-" + name.name);
      if (!same_inode(link, shim)) {
        platform::link_or_symlink(shim, link, "shim");
      }
    }
  }
}

bool Installer::remove(const triple::Triple& target) {
  const store::Layout& layout = m_store.layout();
  const FileLock lock =
      FileLock::acquire(layout.lock("targets"), FileLock::Mode::exclusive);
  const std::optional<store::TargetRecord> record =
      store::read_target_record(layout, target.gnu());
  if (!record) {
    return false;
  }
  for (const shim::ShimName& name : shim::shim_names()) {
    platform::remove_tree(layout.bin() / (record->gnu + "-" + name.name),
                          "shim");
  }
  platform::remove_tree(layout.shim_resolution(record->gnu), "shim resolution");
  platform::remove_tree(layout.target_record(record->gnu), "target record");

  std::set<std::string> in_use;
  for (const store::TargetRecord& other : store::list_target_records(layout)) {
    in_use.insert(other.artifacts.begin(), other.artifacts.end());
  }
  for (const std::string& id : record->artifacts) {
    if (in_use.count(id) == 0) {
      const FileLock artifact_lock = FileLock::acquire(
          layout.lock("artifact-" + id), FileLock::Mode::exclusive);
      m_store.remove_install(id);
      diag::info(fmt::format("removed {}", id));
    }
  }
  return true;
}

fs::path find_shim_binary(const Env& env, const fs::path& xtc_exe) {
  if (auto configured = env.get("XTC_SHIM_BINARY")) {
    return *configured;
  }
  const fs::path dir = xtc_exe.parent_path();
  for (const fs::path& candidate :
       {dir / "xtc-shim", dir.parent_path() / "libexec" / "xtc" / "xtc-shim"}) {
    if (platform::path_exists(candidate)) {
      return candidate;
    }
  }
  throw Error(fmt::format("cannot find xtc's shim program 'xtc-shim' next to "
                          "'{}' or in its libexec/xtc directory",
                          xtc_exe.string()),
              "reinstall xtc; the shim is part of every xtc installation");
}

} // namespace xtc::install
