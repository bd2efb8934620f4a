#include "install/installer.hpp"

#include "base/diagnostics.hpp"
#include "base/error.hpp"
#include "base/strings.hpp"
#include "install/probe.hpp"
#include "install/producer_signature.hpp"
#include "install/stream_extraction.hpp"
#include "install/toolchain_spec.hpp"
#include "platform/atomic_file.hpp"
#include "platform/fd.hpp"
#include "platform/file_lock.hpp"
#include "platform/fs.hpp"
#include "shim/pin_file.hpp"
#include "shim/resolution.hpp"
#include "store/home.hpp"
#include "unpack/extract.hpp"
#include "verify/sha256.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <exception>
#include <map>
#include <mutex>
#include <set>
#include <system_error>
#include <thread>

namespace xtc::install {
namespace {

namespace fs = std::filesystem;
using platform::FileLock;

// An archive may not unpack to more than this multiple of the bytes of it
// read so far (with a floor for tiny archives): stops decompression bombs,
// including those whose producer states no size, early, while leaving room
// for the ~5x that xz and zstd reach on toolchains. A manifest entry may
// state its own bound instead (max_unpacked_size).
constexpr std::uint64_t k_inflation_factor = 40;
constexpr std::uint64_t k_inflation_floor = 64ULL << 20U;
// And never more than this, whatever the ratio allows.
constexpr std::uint64_t k_unpacked_ceiling = 32ULL << 30U;
constexpr std::uint64_t k_max_entries = 500000;
constexpr unsigned k_default_jobs = 4;
constexpr unsigned k_max_jobs = 64;

bool same_inode(const fs::path& a, const fs::path& b) {
  struct stat sa {};
  struct stat sb {};
  return ::lstat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 &&
         sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

unpack::Limits unpack_limits(const manifest::Artifact& artifact) {
  if (artifact.max_unpacked_size != 0) {
    return {artifact.max_unpacked_size, k_max_entries, 0, 0};
  }
  return {k_unpacked_ceiling, k_max_entries, k_inflation_factor,
          k_inflation_floor};
}

// Every tool the manifest names must be an executable file of the unpacked
// tree, and its sysroot a directory, before the install is committed: a
// wrong strip_components or tool path must fail here, not at the first
// compile. (Symlinks in the tree resolve inside it: the unpack policy saw
// to that.)
void check_layout(const manifest::Artifact& artifact, const fs::path& root) {
  const auto missing = [&](std::string_view what, const std::string& path,
                           std::string_view problem) {
    return Error(fmt::format("artifact '{}' names {} '{}', which {}",
                             artifact.id, what, path, problem),
                 "its manifest entry does not match its archive (tool path or "
                 "strip_components); nothing was installed: tell the "
                 "manifest's publisher");
  };
  for (const auto& [tool, path] : artifact.tools) {
    struct stat st {};
    if (::stat((root / path).c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
      throw missing(fmt::format("tool {}", tool), path,
                    "its archive does not contain");
    }
    if ((st.st_mode & 0111U) == 0) {
      throw missing(fmt::format("tool {}", tool), path,
                    "is not executable in its archive");
    }
  }
  if (artifact.sysroot) {
    struct stat st {};
    if (::stat((root / *artifact.sysroot).c_str(), &st) != 0 ||
        !S_ISDIR(st.st_mode)) {
      throw missing("sysroot", *artifact.sysroot,
                    "is not a directory of its archive");
    }
  }
}

bool same_content(const fs::path& a, const fs::path& b) {
  struct stat sa {};
  struct stat sb {};
  if (::stat(a.c_str(), &sa) != 0 || ::stat(b.c_str(), &sb) != 0 ||
      sa.st_size != sb.st_size) {
    return false;
  }
  // Compared a block at a time: this runs on every `target add`, and the
  // shim is most of a megabyte.
  const platform::Fd fa = platform::open_file(a, O_RDONLY, "shim binary");
  const platform::Fd fb = platform::open_file(b, O_RDONLY, "shim binary");
  std::array<char, 65536> ba{};
  std::array<char, 65536> bb{};
  while (true) {
    const ssize_t na = ::read(fa.get(), ba.data(), ba.size());
    const ssize_t nb = ::read(fb.get(), bb.data(), bb.size());
    if (na < 0 || na != nb) {
      return false;
    }
    if (na == 0) {
      return true;
    }
    if (std::memcmp(ba.data(), bb.data(), static_cast<std::size_t>(na)) != 0) {
      return false;
    }
  }
}

} // namespace

Installer::Installer(store::Store& store, const Env& env,
                     fetch::Options fetch_options, fs::path shim_source)
    : m_store(store), m_env(env), m_fetch_options(std::move(fetch_options)),
      m_shim_source(std::move(shim_source)) {
  m_fetch_options.cancel = &m_cancel;
}

void Installer::install_artifacts(const std::vector<Planned>& plans,
                                  unsigned jobs) {
  std::vector<const manifest::Artifact*> artifacts;
  for (const Planned& planned : plans) {
    for (const manifest::Artifact* artifact :
         {planned.selection.toolchain, planned.selection.sysroot}) {
      if (artifact != nullptr &&
          std::none_of(artifacts.begin(), artifacts.end(),
                       [&](const manifest::Artifact* seen) {
                         return seen->id == artifact->id;
                       })) {
        artifacts.push_back(artifact);
      }
    }
  }
  std::atomic<std::size_t> next{0};
  std::mutex mutex;
  std::exception_ptr first_error;
  const auto work = [&] {
    while (!m_cancel.load()) {
      const std::size_t index = next.fetch_add(1);
      if (index >= artifacts.size()) {
        return;
      }
      try {
        install_artifact(*artifacts[index]);
      } catch (...) {
        const std::lock_guard lock(mutex);
        if (!first_error) {
          first_error = std::current_exception();
          m_cancel.store(true);
        }
      }
    }
  };
  const std::size_t threads =
      std::min<std::size_t>(std::max(jobs, 1U), artifacts.size());
  if (threads <= 1) {
    work();
  } else {
    // std::thread, joined by hand: std::jthread is missing from the libc++
    // of the Apple clang releases Homebrew still builds with.
    std::vector<std::thread> pool;
    pool.reserve(threads);
    const auto join_all = [&pool] {
      for (std::thread& thread : pool) {
        thread.join();
      }
    };
    try {
      for (std::size_t i = 0; i < threads; ++i) {
        pool.emplace_back(work);
      }
    } catch (...) {
      m_cancel.store(true);
      join_all();
      throw;
    }
    join_all();
  }
  if (first_error) {
    std::rethrow_exception(first_error);
  }
}

store::TargetRecord Installer::add(const Planned& planned,
                                   MakeDefault make_default) {
  for (const manifest::Artifact* artifact :
       {planned.selection.toolchain, planned.selection.sysroot}) {
    if (artifact != nullptr) {
      install_artifact(*artifact);
    }
  }
  const store::Layout& layout = m_store.layout();
  store::TargetRecord record =
      describe_target(planned.target, planned.selection, layout, m_env);
  record.variant = shim::Variant{record.flavor, planned.target.libc_version,
                                 planned.selection.producer}
                       .name();
  const std::string resolution = shim::format_resolution(
      {record.tools, record.env, record.drop, record.baseline,
       record.linker_dirs, record.link_only, record.set});
  if (planned.target.libc == triple::Libc::gnu && planned.target.libc_version) {
    check_floor(record, planned.target);
  }

  const FileLock lock =
      FileLock::acquire(layout.lock("targets"), FileLock::Mode::exclusive);
  // The variant first: a crash in between leaves the old default intact.
  store::write_variant_record(layout, record);
  platform::update_file_atomic(
      layout.variant_resolution(record.gnu, record.variant), resolution,
      "shim resolution");
  if (make_default == MakeDefault::always ||
      !platform::path_exists(layout.target_record(record.gnu))) {
    store::write_target_record(layout, record);
    platform::update_file_atomic(layout.shim_resolution(record.gnu), resolution,
                                 "shim resolution");
  }
  link_shims(record.gnu);
  return record;
}

void Installer::install_artifact(const manifest::Artifact& artifact) {
  {
    const std::lock_guard lock(m_ready_mutex);
    if (m_ready.count(artifact.id) != 0) {
      return;
    }
  }
  install_artifact_once(artifact);
  const std::lock_guard lock(m_ready_mutex);
  m_ready.insert(artifact.id);
}

void Installer::install_artifact_once(const manifest::Artifact& artifact) {
  const store::Layout& layout = m_store.layout();
  const FileLock lock = FileLock::acquire(
      layout.lock("artifact-" + artifact.id), FileLock::Mode::exclusive);
  if (auto receipt = m_store.read_receipt(artifact.id)) {
    if (receipt->sha256 == artifact.sha256.hex() &&
        m_store.missing_files(*receipt).empty()) {
      diag::verbose(fmt::format("{} {} is already installed", artifact.id,
                                artifact.version));
      return;
    }
    // The manifest now names different bytes under this id, or files of the
    // install were deleted: replace it (this is how `xtc target add` repairs
    // what `xtc doctor` reports).
    m_store.remove_install(artifact.id);
  }

  // gc removes cache entries no receipt names; this one has no receipt
  // until the commit below.
  const FileLock cache_lock =
      FileLock::acquire(layout.lock("cache"), FileLock::Mode::shared);
  const fs::path archive = layout.cache_entry(artifact.sha256.hex());
  std::call_once(m_probed,
                 [this] { m_file_system = m_store.probe_file_system(); });
  const unpack::Options unpack_options{artifact.strip_components,
                                       unpack_limits(artifact),
                                       m_file_system.folds_case};
  fetch::Progress progress(artifact.id, artifact.size,
                           m_fetch_options.progress);
  // A zip records Unix modes and symlinks only in its central directory, at
  // its end: it is unpacked from the complete file, everything else while
  // it downloads.
  const bool streamed = artifact.format != "zip";
  StreamExtraction stream(layout, artifact.id + "-", archive, unpack_options);
  const fetch::Fetched fetched = fetch::download(
      {artifact.id, artifact.urls, artifact.sha256, artifact.size, archive,
       streamed ? &stream : nullptr, &progress},
      m_fetch_options);

  std::optional<store::Staging> staging;
  unpack::Extracted extracted;
  if (fetched == fetch::Fetched::downloaded && streamed) {
    StreamExtraction::Result result = stream.finish();
    staging.emplace(std::move(result.staging));
    extracted = std::move(result.extracted);
  }
  if (fetched == fetch::Fetched::downloaded) {
    // Checked once, when the bytes arrive: a cache entry is only ever
    // these same, already checked bytes (its name is their sha256).
    try {
      check_producer_signature(artifact, archive, m_fetch_options);
    } catch (const Error&) {
      // Not kept for a later run: unsigned bytes are not "verified".
      std::error_code ignored;
      fs::remove(archive, ignored);
      throw;
    }
  }
  if (!staging) {
    staging.emplace(layout, artifact.id + "-");
    extracted = unpack::extract(archive, staging->path(), unpack_options);
  }
  check_layout(artifact, staging->path());
  // Per-file digests let an integrity check tell a damaged install from a
  // whole one; the files are still in the page cache, so this costs a
  // fraction of the unpack (SHA-256 runs at over 1 GB/s).
  std::vector<std::string> digests;
  digests.reserve(extracted.files.size());
  for (const std::string& file : extracted.files) {
    digests.push_back(
        verify::sha256_file(staging->path() / file, "installed file").hex());
  }
  store::Store::write_receipt(
      staging->path(),
      {artifact.id,
       artifact.kind == manifest::Kind::toolchain ? "toolchain" : "sysroot",
       artifact.version, artifact.sha256.hex(),
       redact_credentials(artifact.urls.front()), extracted.bytes,
       extracted.files, std::move(digests)});
  staging->commit(layout.toolchain(artifact.id));
  progress.finish(
      "verified, unpacked",
      fmt::format("{} ({} files, {})",
                  fetched == fetch::Fetched::cached ? " from the cache" : "",
                  extracted.files.size(), human_bytes(extracted.bytes)));
  if (!extracted.case_collisions.empty()) {
    diag::warning(fmt::format(
        "{}: {} name{} in its archive differ{} only in case from an earlier "
        "entry; this file system ignores case, so the later of each was kept, "
        "as tar does (--verbose lists them)",
        artifact.id, extracted.case_collisions.size(),
        extracted.case_collisions.size() == 1 ? "" : "s",
        extracted.case_collisions.size() == 1 ? "s" : ""));
    for (const std::string& collision : extracted.case_collisions) {
      diag::verbose(fmt::format("  {}", collision));
    }
  }
}

void Installer::check_floor(const store::TargetRecord& record,
                            const triple::Triple& target) const {
  const platform::TempDir scratch(m_env.get("TMPDIR").value_or("/tmp"),
                                  "xtc-probe-");
  const Probe probe = probe_target(record, target, scratch.path());
  if (!probe.misfits.empty()) {
    throw Error(fmt::format("'{}' does not build for glibc {}: {}",
                            target.display(), *target.libc_version,
                            join(probe.misfits, "; ")),
                "its toolchain's C library is newer than its manifest entry "
                "says; report it to the manifest's publisher, or use the zig "
                "flavor");
  }
  diag::info(fmt::format("{}: probe programs {}, within glibc {}",
                         target.display(), probe.summary,
                         *target.libc_version));
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
  std::map<std::string, std::set<std::string>> tools =
      store::installed_tools(layout);
  for (const std::string& prefix : prefixes) {
    for (const shim::ShimName& name : shim::linked_shims(tools[prefix])) {
      const fs::path link =
          layout.bin() / fmt::format("{}-{}", prefix, name.name);
      if (!same_inode(link, shim)) {
        platform::link_or_symlink(shim, link, "shim");
      }
    }
  }
}

bool Installer::remove(const triple::Triple& target) {
  const store::Layout& layout = m_store.layout();
  if (!store::owns_home(layout) || !platform::path_exists(layout.locks())) {
    return false;
  }
  const FileLock lock =
      FileLock::acquire(layout.lock("targets"), FileLock::Mode::exclusive);
  const std::string gnu = target.gnu();
  std::vector<store::TargetRecord> records;
  if (auto record = store::read_target_record(layout, gnu)) {
    records.push_back(std::move(*record));
  }
  std::vector<fs::path> files = {layout.shim_resolution(gnu),
                                 layout.target_record(gnu)};
  for (const std::string& name : platform::list_directory(layout.targets())) {
    if (name.starts_with(gnu + "@")) {
      files.push_back(layout.targets() / name);
    }
  }
  for (store::TargetRecord& record : store::list_variant_records(layout)) {
    if (record.gnu == gnu) {
      records.push_back(std::move(record));
    }
  }
  if (records.empty()) {
    return false;
  }
  for (const shim::ShimName& name : shim::shim_names()) {
    platform::remove_tree(layout.bin() / fmt::format("{}-{}", gnu, name.name),
                          "shim");
  }
  // Resolutions before records: a shim never finds a resolution whose
  // record is gone.
  std::stable_partition(files.begin(), files.end(), [](const fs::path& path) {
    return path.extension() == ".shim";
  });
  for (const fs::path& file : files) {
    platform::remove_tree(file, "target file");
  }

  std::set<std::string> in_use;
  for (const auto& list : {store::list_target_records(layout),
                           store::list_variant_records(layout)}) {
    for (const store::TargetRecord& other : list) {
      in_use.insert(other.artifacts.begin(), other.artifacts.end());
    }
  }
  std::set<std::string> artifacts;
  for (const store::TargetRecord& record : records) {
    artifacts.insert(record.artifacts.begin(), record.artifacts.end());
  }
  for (const std::string& id : artifacts) {
    if (in_use.count(id) == 0) {
      const FileLock artifact_lock = FileLock::acquire(
          layout.lock("artifact-" + id), FileLock::Mode::exclusive);
      m_store.remove_install(id);
      diag::info(fmt::format("removed {}", id));
    }
  }
  return true;
}

unsigned jobs_from_env(const Env& env) {
  const std::optional<std::string> text = env.get("XTC_JOBS");
  if (!text) {
    return k_default_jobs;
  }
  const std::optional<unsigned long long> value = parse_uint(*text);
  if (!value || *value == 0 || *value > k_max_jobs) {
    throw usage_error(fmt::format("XTC_JOBS '{}' is not a number from 1 to {}",
                                  *text, k_max_jobs),
                      "set XTC_JOBS to how many downloads may run at once");
  }
  return static_cast<unsigned>(*value);
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
