// `xtc mirror DEST`: copies the artifacts of the manifest in use (all of
// them, or those of the hosts, targets and flavors asked for) into DEST and
// writes a manifest naming DEST's copies first and the producers' URLs after
// them, signed with the team's minisign key. DEST is a directory (a static
// web root: artifacts/<sha256>/<file name>, with the producer's .minisig
// beside it) or oci://<registry>/<repository> (each artifact a blob, plus
// an image manifest tagged with the artifact's id so registry UIs and
// garbage collection keep it). What is already there is not copied again;
// an interrupted run resumes where it stopped.
#include "base/diagnostics.hpp"
#include "base/error.hpp"
#include "base/strings.hpp"
#include "cli/commands.hpp"
#include "fetch/download.hpp"
#include "fetch/oci.hpp"
#include "fetch/registry_client.hpp"
#include "fetch/url.hpp"
#include "install/producer_signature.hpp"
#include "manifest/rewrite.hpp"
#include "platform/atomic_file.hpp"
#include "platform/fd.hpp"
#include "platform/file_lock.hpp"
#include "platform/fs.hpp"
#include "store/home.hpp"
#include "triple/triple.hpp"
#include "verify/minisign.hpp"
#include "verify/minisign_sign.hpp"
#include "verify/sha256.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <iostream>

namespace xtc::cli {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view k_layer_type = "application/vnd.xtc.artifact.v1";
constexpr std::string_view k_config_type =
    "application/vnd.xtc.artifact.config.v1+json";
constexpr std::string_view k_signature_type =
    "application/vnd.xtc.minisign.signature.v1";
constexpr std::string_view k_manifest_type =
    "application/vnd.oci.image.manifest.v1+json";

struct Options {
  std::string dest;
  std::vector<std::string> hosts;
  std::vector<std::string> targets;
  std::vector<std::string> flavors;
  std::string key;
  std::string url;    // where a directory DEST is served
  std::string output; // the manifest's path
};

// What one artifact became in the mirror.
struct Copy {
  manifest::MirrorCopy where; // the mirror's URLs for it
  bool moved = false;         // false: it was there already
};

bool selected(const manifest::Artifact& artifact, const Options& options,
              const std::vector<triple::Triple>& targets,
              const std::vector<manifest::Flavor>& flavors) {
  if (!options.hosts.empty() && artifact.host != "any" &&
      std::find(options.hosts.begin(), options.hosts.end(), artifact.host) ==
          options.hosts.end()) {
    return false;
  }
  if (!targets.empty() && artifact.target &&
      std::none_of(targets.begin(), targets.end(),
                   [&](const triple::Triple& target) {
                     return target.gnu() == artifact.target->gnu();
                   })) {
    return false;
  }
  if (!flavors.empty()) {
    if (artifact.flavor) {
      return std::find(flavors.begin(), flavors.end(), *artifact.flavor) !=
             flavors.end();
    }
    // A sysroot serves the llvm and zig flavors.
    return std::any_of(flavors.begin(), flavors.end(),
                       [](manifest::Flavor flavor) {
                         return flavor != manifest::Flavor::gcc;
                       });
  }
  return true;
}

// The archive's name in the mirror: the producer URL's file name when it is
// a plain one (a producer signature names it), else "<id>.<format>".
std::string file_name_of(const manifest::Artifact& artifact) {
  for (const std::string& url : artifact.urls) {
    if (fetch::is_oci_url(url)) {
      continue;
    }
    const std::string name = fetch::url_file_name(url);
    const bool plain =
        !name.empty() && name.front() != '.' && name.size() <= 200 &&
        name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRST"
                               "UVWXYZ0123456789._+-") == std::string::npos;
    if (plain) {
      return name;
    }
  }
  return artifact.id + "." + artifact.format;
}

std::string sha256_of(std::string_view bytes) {
  verify::Sha256 hasher;
  hasher.update(bytes);
  return "sha256:" + hasher.finish().hex();
}

// A tag for the artifact's image manifest: its id, '+' (not allowed in a
// tag) spelled '_'.
std::string tag_of(const manifest::Artifact& artifact) {
  return replace_all(artifact.id, "+", "_");
}

std::string descriptor_json(std::string_view media_type,
                            std::string_view digest, std::uint64_t size,
                            std::string_view title) {
  nlohmann::ordered_json descriptor = {
      {"mediaType", media_type}, {"digest", digest}, {"size", size}};
  if (!title.empty()) {
    descriptor["annotations"] = {{"org.opencontainers.image.title", title}};
  }
  return descriptor.dump();
}

class Destination {
public:
  virtual ~Destination() = default;
  virtual Copy put(const manifest::Artifact& artifact, const fs::path& archive,
                   const std::string& signature) = 0;
  virtual std::string describe() const = 0;
};

class DirectoryDestination final : public Destination {
public:
  DirectoryDestination(fs::path root, std::string base_url)
      : m_root(std::move(root)), m_base(std::move(base_url)) {
    while (!m_base.empty() && m_base.back() == '/') {
      m_base.pop_back();
    }
  }

  Copy put(const manifest::Artifact& artifact, const fs::path& archive,
           const std::string& signature) override {
    const std::string name = file_name_of(artifact);
    const std::string relative =
        fmt::format("artifacts/{}/{}", artifact.sha256.hex(), name);
    const fs::path target = m_root / relative;
    Copy copy;
    copy.where.urls = {m_base + "/" + relative};
    std::error_code ec;
    const auto size = fs::file_size(target, ec);
    if (ec || size != fs::file_size(archive)) {
      platform::make_directories(target.parent_path(), "mirror directory");
      platform::copy_file_atomic(archive, target, "mirrored artifact");
      copy.moved = true;
    }
    if (!signature.empty()) {
      fs::path signature_path = target;
      signature_path += ".minisig";
      copy.moved |= platform::update_file_atomic(signature_path, signature,
                                                 "producer signature");
    }
    return copy;
  }

  std::string describe() const override { return m_root.string(); }

private:
  fs::path m_root;
  std::string m_base;
};

class RegistryDestination final : public Destination {
public:
  RegistryDestination(const std::string& registry,
                      const std::string& repository,
                      const fetch::Options& options)
      : m_registry(registry), m_repository(repository),
        m_client(registry, repository, options), m_progress(options.progress) {}

  Copy put(const manifest::Artifact& artifact, const fs::path& archive,
           const std::string& signature) override {
    const std::string digest = "sha256:" + artifact.sha256.hex();
    const std::uint64_t size = fs::file_size(archive);
    const std::string name = file_name_of(artifact);
    Copy copy;
    copy.where.urls = {oci_url(digest)};
    if (!m_client.has_blob(digest)) {
      fetch::Progress progress(artifact.id, size, m_progress, "pushing");
      progress.start();
      m_client.push_blob(archive, digest, size, progress);
      progress.finish("pushed", fmt::format(" to {}", m_client.describe()));
      copy.moved = true;
    }
    // The config says what the blob is; the tag keeps it from garbage
    // collection and shows it in registry UIs.
    const std::string config = nlohmann::ordered_json{
        {"id", artifact.id},
        {"file", name},
        {"sha256", artifact.sha256.hex()},
        {"size", size},
        {"version",
         artifact.version}}.dump();
    const std::string config_digest = sha256_of(config);
    std::string layers = descriptor_json(k_layer_type, digest, size, name);
    if (!signature.empty()) {
      const std::string signature_digest = sha256_of(signature);
      if (!m_client.has_blob(signature_digest)) {
        m_client.push_blob(signature, signature_digest);
        copy.moved = true;
      }
      copy.where.signature_urls.push_back(oci_url(signature_digest));
      layers += "," + descriptor_json(k_signature_type, signature_digest,
                                      signature.size(), name + ".minisig");
    }
    const std::string image = fmt::format(
        R"({{"schemaVersion":2,"mediaType":"{}","config":{},"layers":[{}]}})",
        k_manifest_type,
        descriptor_json(k_config_type, config_digest, config.size(), {}),
        layers);
    const std::string tag = tag_of(artifact);
    if (!m_client.has_manifest(tag, sha256_of(image))) {
      if (!m_client.has_blob(config_digest)) {
        m_client.push_blob(config, config_digest);
      }
      m_client.put_manifest(tag, k_manifest_type, image);
      copy.moved = true;
    }
    return copy;
  }

  std::string describe() const override { return m_client.describe(); }

private:
  std::string oci_url(std::string_view digest) const {
    return fmt::format("oci://{}/{}@{}", m_registry, m_repository, digest);
  }

  std::string m_registry;
  std::string m_repository;
  fetch::RegistryClient m_client;
  bool m_progress;
};

// The secret key, asking for its password when it has one: XTC_KEY_PASSWORD,
// else a prompt on the terminal.
verify::MinisignSecretKey read_key(const Context& context,
                                   const std::string& path) {
  const std::string text = platform::read_file(path, "secret key");
  std::string password;
  if (verify::minisign_secret_key_encrypted(text, path)) {
    if (const auto given = context.env.get("XTC_KEY_PASSWORD")) {
      password = *given;
    } else {
      throw usage_error(
          fmt::format("the secret key '{}' is password-protected", path),
          "set XTC_KEY_PASSWORD to its password");
    }
  }
  return verify::parse_minisign_secret_key(text, path, password);
}

// The signature's timestamp: now, or one past the timestamp of the
// manifest this run replaces, so clients never see it as a replay.
std::uint64_t next_timestamp(const fs::path& signature_path) {
  const auto now = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count());
  const std::optional<std::string> old =
      platform::read_file_if_exists(signature_path, "manifest signature");
  if (!old) {
    return now;
  }
  try {
    const verify::MinisignSignature signature =
        verify::parse_minisign_signature(*old, signature_path.string());
    for (const std::string& part : split(signature.trusted_comment, ' ')) {
      if (part.starts_with("timestamp:")) {
        if (const auto value = parse_uint(part.substr(10))) {
          return std::max<std::uint64_t>(now, *value + 1);
        }
      }
    }
  } catch (const Error&) {
    // An unreadable old signature is replaced like any other.
  }
  return now;
}

void mirror(const Context& context, const Options& options) {
  if (context.is_offline()) {
    throw usage_error("xtc mirror downloads the artifacts, and XTC_OFFLINE "
                      "forbids downloading",
                      "run it with XTC_OFFLINE unset");
  }
  std::vector<triple::Triple> targets;
  for (const std::string& spelling : options.targets) {
    targets.push_back(triple::parse(spelling));
  }
  std::vector<manifest::Flavor> flavors;
  for (const std::string& name : options.flavors) {
    flavors.push_back(manifest::parse_flavor(name));
  }
  // The key first: a wrong password must not cost a download.
  const verify::MinisignSecretKey key = read_key(context, options.key);

  const bool to_registry = fetch::is_oci_url(options.dest);
  const fetch::Options fetch_options = context.fetch_options();
  std::unique_ptr<Destination> destination;
  fs::path output;
  if (to_registry) {
    if (!options.url.empty()) {
      throw usage_error("--url is for a directory; a registry's artifacts are "
                        "named by oci:// URLs");
    }
    const std::string rest = options.dest.substr(6);
    const std::size_t slash = rest.find('/');
    if (slash == std::string::npos) {
      throw usage_error(
          fmt::format("'{}' names no repository", options.dest),
          "write the destination as oci://<registry>/<repository>");
    }
    destination = std::make_unique<RegistryDestination>(
        to_lower(rest.substr(0, slash)), rest.substr(slash + 1), fetch_options);
    output = options.output.empty() ? context.env.cwd() / "xtc.toml"
                                    : fs::path(options.output);
  } else {
    const fs::path root = fs::absolute(context.env.cwd() / options.dest);
    platform::make_directories(root, "mirror directory");
    std::string base = options.url;
    if (base.empty()) {
      base = "file://" + root.string();
    } else if (!is_url(base)) {
      throw usage_error(fmt::format("--url '{}' is not a URL", base),
                        "give the https:// URL the directory is served at");
    }
    destination = std::make_unique<DirectoryDestination>(root, base);
    output =
        options.output.empty() ? root / "xtc.toml" : fs::path(options.output);
  }
  if (output.is_relative()) {
    output = context.env.cwd() / output;
  }

  const manifest::Manifest manifest = context.load_manifest();
  std::vector<const manifest::Artifact*> chosen;
  for (const manifest::Artifact& artifact : manifest.artifacts) {
    if (selected(artifact, options, targets, flavors)) {
      chosen.push_back(&artifact);
    }
  }
  if (chosen.empty()) {
    throw usage_error(
        fmt::format("the manifest '{}' has no artifact for the hosts, "
                    "targets and flavors asked for",
                    manifest.source),
        "check --host, --target and --flavor against 'xtc target list'");
  }

  const store::Layout layout = context.layout();
  store::claim_home(layout);
  // gc removes cache entries no install names; these are in use.
  const platform::FileLock cache_lock = platform::FileLock::acquire(
      layout.lock("cache"), platform::FileLock::Mode::shared);
  std::map<std::string, manifest::MirrorCopy, std::less<>> copies;
  std::size_t moved = 0;
  std::uint64_t bytes = 0;
  for (const manifest::Artifact* artifact : chosen) {
    const fs::path archive = layout.cache_entry(artifact->sha256.hex());
    fetch::Progress progress(artifact->id, artifact->size,
                             fetch_options.progress);
    fetch::download({artifact->id, artifact->urls, artifact->sha256,
                     artifact->size, archive, nullptr, &progress},
                    fetch_options);
    const std::string signature =
        install::check_producer_signature(*artifact, archive, fetch_options);
    const Copy copy = destination->put(*artifact, archive, signature);
    copies[artifact->id] = copy.where;
    if (copy.moved) {
      ++moved;
      bytes += fs::file_size(archive);
      diag::status("mirrored", "32",
                   fmt::format("{} ({})", artifact->id,
                               human_bytes(fs::file_size(archive))));
    } else {
      diag::verbose(fmt::format("{} is already in {}", artifact->id,
                                destination->describe()));
    }
  }

  const std::uint64_t timestamp =
      next_timestamp(fs::path(output.string() + ".minisig"));
  const std::string name = output.filename().string();
  const std::string text = manifest::rewrite_for_mirror(
      manifest.text, manifest.source, copies,
      {fmt::format("Mirror of {} made by xtc mirror: {} artifacts in {},",
                   manifest.source, chosen.size(), destination->describe()),
       "each with the mirror's URL first and the producers' after it.",
       fmt::format("Signed by minisign key {}; trust it with "
                   "'xtc key add <its .pub file>'.",
                   verify::key_id_hex(key.id))});
  const std::string signature = verify::sign_minisign(
      key, text, fmt::format("timestamp:{} file:{}", timestamp, name),
      fmt::format("signature of {} by xtc mirror", name));
  platform::write_file_atomic(output, text, "mirror manifest");
  platform::write_file_atomic(output.string() + ".minisig", signature,
                              "mirror manifest signature");
  diag::status("mirrored", "32",
               fmt::format("{} artifact{} to {} ({} copied, {}); manifest "
                           "{} signed by key {}",
                           chosen.size(), chosen.size() == 1 ? "" : "s",
                           destination->describe(), moved, human_bytes(bytes),
                           output.string(), verify::key_id_hex(key.id)));
}

} // namespace

void add_mirror(CLI::App& parent, Context& context) {
  auto options = std::make_shared<Options>();
  CLI::App* cmd = parent.add_subcommand(
      "mirror",
      "Copy the manifest's artifacts into a directory or an OCI registry\n\n"
      "Writes a manifest naming the copies first and the producers' URLs\n"
      "after them, signed with your minisign key; machines that trust the\n"
      "key (xtc key add) install from the mirror. Re-running copies only\n"
      "what is missing.\n\n"
      "Examples:\n"
      "  xtc mirror /srv/www/xtc --url https://mirror.corp/xtc --key team.key\n"
      "  xtc mirror oci://registry.corp/xtc --host x86_64-linux "
      "--target aarch64-linux-gnu --key team.key\n");
  cmd->add_option("dest", options->dest,
                  "A directory, or oci://<registry>/<repository>")
      ->required();
  cmd->add_option("--key", options->key,
                  "minisign secret key that signs the manifest (a "
                  "password-protected one reads XTC_KEY_PASSWORD)")
      ->required();
  cmd->add_option("--host", options->hosts,
                  "Only artifacts for this host (x86_64-linux, "
                  "aarch64-darwin, …); repeatable");
  cmd->add_option("--target", options->targets,
                  "Only artifacts for this target; repeatable");
  cmd->add_option("--flavor", options->flavors,
                  "Only this flavor (gcc, llvm, zig); repeatable");
  cmd->add_option("--url", options->url,
                  "The URL a directory is served at (default: its file:// "
                  "URL)");
  cmd->add_option("--output", options->output,
                  "Where to write the manifest (default: DEST/xtc.toml, or "
                  "./xtc.toml for a registry)");
  cmd->callback([&context, options] { mirror(context, *options); });
}

} // namespace xtc::cli
