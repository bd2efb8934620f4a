#include "cli/context.hpp"

#include "base/diagnostics.hpp"
#include "base/error.hpp"
#include "base/strings.hpp"
#include "fetch/url.hpp"
#include "manifest/keyring.hpp"
#include "platform/fd.hpp"
#include "platform/fs.hpp"
#include "platform/host.hpp"
#include "platform/process.hpp"
#include "store/settings.hpp"

#include <ctime>
#include <system_error>

namespace xtc::cli {

bool is_url(const std::string& text) {
  return text.starts_with("https://") || text.starts_with("http://") ||
         text.starts_with("file://");
}

namespace {

// The project's release channel: the manifest of the newest release, with
// its .minisig beside it.
constexpr std::string_view k_default_channel =
    "https://github.com/xtc-dev/xtc/releases/latest/download/xtc.toml";

constexpr std::string_view k_unsigned_hint =
    "xtc installs only from signed manifests; for a local manifest file you "
    "trust, pass --allow-unsigned";

// The .minisig beside a local manifest file.
std::string read_signature(const std::string& source,
                           const std::string& signature_source) {
  std::optional<std::string> signature =
      platform::read_file_if_exists(signature_source, "manifest signature");
  if (!signature) {
    throw Error(fmt::format("manifest '{}' is not signed: no signature file "
                            "'{}'",
                            source, signature_source),
                std::string(k_unsigned_hint));
  }
  return std::move(*signature);
}

} // namespace

store::Layout Context::layout() const { return store::Layout::from_env(env); }

bool Context::is_offline() const {
  if (offline) {
    return true;
  }
  const std::string value = env.get("XTC_OFFLINE").value_or("");
  for (const std::string_view yes : {"1", "true", "yes", "on"}) {
    if (value == yes) {
      return true;
    }
  }
  for (const std::string_view no : {"", "0", "false", "no", "off"}) {
    if (value == no) {
      return false;
    }
  }
  throw Error(fmt::format("XTC_OFFLINE '{}' is neither on nor off", value),
              "set XTC_OFFLINE=1 to never download, or unset it");
}

project::CargoTargetSettings
Context::cargo_settings(const triple::Triple& target, bool absolute) const {
  project::CargoTargetSettings settings =
      project::cargo_target_settings(target, layout(), absolute);
  // "xtc" when PATH finds this very xtc (the runner then survives an
  // upgrade that moves it), else its path.
  std::string xtc = self.string();
  if (!absolute) {
    const std::optional<std::filesystem::path> found =
        platform::find_program("xtc", env.get("PATH").value_or(""));
    std::error_code ec;
    if (found && std::filesystem::equivalent(*found, self, ec)) {
      xtc = "xtc";
    }
  }
  settings.runner =
      project::cargo_runner(target, platform::host_platform(), env, xtc);
  return settings;
}

fetch::Options Context::fetch_options() const {
  fetch::Options options = fetch::Options::from_env(env);
  options.progress = !quiet;
  options.offline = is_offline();
  return options;
}

std::vector<manifest::TrustedKey> Context::trusted_keys() const {
  std::vector<manifest::TrustedKey> keys = manifest::builtin_keys();
  std::vector<std::filesystem::path> files;
  for (const std::string& file :
       split(env.get("XTC_TRUSTED_KEYS").value_or(""), ':')) {
    if (!file.empty()) {
      files.push_back(env.cwd() / file);
    }
  }
  const std::vector<manifest::TrustedKey> from_env =
      manifest::read_key_files(files);
  keys.insert(keys.end(), from_env.begin(), from_env.end());
  const std::vector<manifest::TrustedKey> user =
      manifest::Keyring(layout().keys()).keys();
  keys.insert(keys.end(), user.begin(), user.end());
  return keys;
}

std::string Context::channel() const {
  if (std::optional<std::string> channel = env.get("XTC_CHANNEL");
      channel && !channel->empty()) {
    return *channel;
  }
  return store::read_settings(layout()).channel.value_or(
      std::string(k_default_channel));
}

bool Context::manifest_chosen() const {
  return !manifest_arg.empty() || !env.get("XTC_MANIFEST").value_or("").empty();
}

manifest::Manifest Context::load_manifest() const {
  std::string source = manifest_arg;
  if (source.empty()) {
    source = env.get("XTC_MANIFEST").value_or("");
  }
  if (source.empty() && !allow_unsigned) {
    return load_default_manifest(channel());
  }
  if (source.empty()) {
    source = shipped_manifest().string(); // to be read unchecked, as asked
  }

  std::string text;
  std::string signature;
  std::string signature_source;
  std::string file_name;
  bool downloaded = false;
  if (is_url(source)) {
    if (allow_unsigned) {
      throw usage_error(
          fmt::format("--allow-unsigned applies only to a local manifest "
                      "file, not to '{}'",
                      source),
          "download the manifest and check it yourself, or use a signed one");
    }
    file_name = fetch::url_file_name(source);
    if (is_offline()) {
      std::optional<manifest::SavedCopy> copy = saved_manifests().load(source);
      if (!copy) {
        throw Error(fmt::format("manifest '{}' has never been downloaded, and "
                                "--offline forbids downloading it",
                                source),
                    "run the command once without --offline");
      }
      diag::verbose(fmt::format("manifest '{}': offline, using the copy "
                                "saved in '{}'",
                                source, copy->path.string()));
      text = std::move(copy->text);
      signature = std::move(copy->signature);
      signature_source = copy->path.string();
    } else {
      FetchedManifest fetched = fetch_manifest(source, k_unsigned_hint);
      text = std::move(fetched.text);
      signature = std::move(fetched.signature);
      signature_source = std::move(fetched.signature_url);
      downloaded = true;
    }
  } else {
    std::filesystem::path path(source);
    path = path.is_absolute() ? path : env.cwd() / path;
    source = path.string();
    if (allow_unsigned) {
      diag::warning(fmt::format(
          "manifest '{}' is used without checking its signature "
          "(--allow-unsigned): whoever can write it decides what xtc installs",
          source));
      return manifest::load_file(path);
    }
    text = platform::read_file(path, "manifest");
    signature_source = source + ".minisig";
    signature = read_signature(source, signature_source);
    file_name = path.filename().string();
  }

  const manifest::Signed checked = manifest::check_signature(
      text, signature, file_name, source, signature_source, trusted_keys());
  manifest::Manifest result = accept(text, checked, source);
  if (downloaded) {
    result.download =
        manifest::Manifest::Download{std::move(text), std::move(signature)};
  }
  return result;
}

Context::FetchedManifest
Context::fetch_manifest(const std::string& url,
                        std::string_view unsigned_hint) const {
  const fetch::Options options = fetch_options();
  FetchedManifest fetched{fetch::fetch_text(url, options),
                          fetch::signature_url(url), ""};
  try {
    fetched.signature = fetch::fetch_text(fetched.signature_url, options);
  } catch (const Error& error) {
    throw Error(
        fmt::format("manifest '{}' is not signed: {}", url, error.message()),
        std::string(unsigned_hint));
  }
  return fetched;
}

manifest::Manifest Context::accept(std::string_view text,
                                   const manifest::Signed& checked,
                                   const std::string& source) const {
  manifest::AcceptedManifests(layout().manifests())
      .check_fresh(checked, source);
  diag::verbose(fmt::format("manifest '{}': signed by key {} at timestamp {}",
                            source, checked.key_id, checked.timestamp));
  manifest::Manifest result = manifest::parse(text, source);
  result.signature = checked;
  return result;
}

// The newer of the manifest shipped with xtc and the copy `xtc update` saved
// from the channel: a `brew upgrade` can bring a newer one than the last
// update, and an update a newer one than the release.
std::filesystem::path Context::shipped_manifest() const {
  return self.parent_path().parent_path() / "share" / "xtc" / "manifests" /
         "xtc.toml";
}

manifest::Manifest
Context::load_default_manifest(const std::string& url) const {
  const std::filesystem::path shipped = shipped_manifest();
  const std::vector<manifest::TrustedKey> keys = trusted_keys();
  std::optional<manifest::SavedCopy> updated = saved_manifests().load(url);
  std::optional<manifest::Signed> updated_signed;
  if (updated) {
    try {
      updated_signed = manifest::check_signature(
          updated->text, updated->signature, fetch::url_file_name(url), url,
          updated->path.string(), keys);
    } catch (const Error& error) {
      throw Error(fmt::format("the manifest saved by 'xtc update' is damaged: "
                              "{}",
                              error.message()),
                  "run 'xtc update' to fetch it again");
    }
  }
  if (!platform::path_exists(shipped)) {
    if (updated_signed) {
      return accept(updated->text, *updated_signed, url);
    }
    throw Error(fmt::format("no artifact manifest found: xtc's own '{}' is "
                            "missing",
                            shipped.string()),
                "reinstall xtc, run 'xtc update', or pass one with --manifest "
                "PATH|URL or XTC_MANIFEST");
  }
  const std::string source = shipped.string();
  const std::string text = platform::read_file(shipped, "manifest");
  const std::string signature_source = source + ".minisig";
  const std::string signature = read_signature(source, signature_source);
  const manifest::Signed checked =
      manifest::check_signature(text, signature, shipped.filename().string(),
                                source, signature_source, keys);
  if (updated_signed && updated_signed->timestamp > checked.timestamp) {
    return accept(updated->text, *updated_signed, url);
  }
  return accept(text, checked, source);
}

void Context::remember_manifest(const manifest::Manifest& manifest) const {
  if (manifest.signature) {
    manifest::AcceptedManifests(layout().manifests())
        .remember(*manifest.signature);
  }
  if (manifest.download) {
    saved_manifests().save(manifest.source, manifest.download->text,
                           manifest.download->signature);
  }
}

manifest::SavedManifests Context::saved_manifests() const {
  return manifest::SavedManifests(layout().manifests() / "saved");
}

} // namespace xtc::cli

namespace xtc::cli {

manifest::Host this_host() {
  return {platform::host_platform(), platform::host_version()};
}

std::string libc_label(const store::TargetRecord& record) {
  if (record.libc_version.empty()) {
    return "";
  }
  const std::optional<triple::Triple> target = triple::try_parse(record.gnu);
  return fmt::format(", {} {}",
                     target && target->libc == triple::Libc::musl ? "musl"
                                                                  : "glibc",
                     record.libc_version);
}

std::string date_of(std::uint64_t timestamp) {
  const auto seconds = static_cast<std::time_t>(timestamp);
  std::tm day{};
  if (::gmtime_r(&seconds, &day) == nullptr) {
    return fmt::format("at timestamp {}", timestamp);
  }
  return fmt::format("{:04}-{:02}-{:02}", day.tm_year + 1900, day.tm_mon + 1,
                     day.tm_mday);
}

std::string signed_age(std::uint64_t timestamp, std::int64_t now) {
  constexpr std::int64_t k_day = 24 * 60 * 60;
  const std::int64_t days =
      now > static_cast<std::int64_t>(timestamp)
          ? (now - static_cast<std::int64_t>(timestamp)) / k_day
          : 0;
  return fmt::format("signed {}, {}", date_of(timestamp),
                     days == 0   ? std::string("today")
                     : days == 1 ? std::string("1 day ago")
                                 : fmt::format("{} days ago", days));
}

std::string producer_label(const store::TargetRecord& record) {
  return record.producer.empty() ? std::string()
                                 : fmt::format(", from {}", record.producer);
}

} // namespace xtc::cli
