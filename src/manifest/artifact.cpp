#include "manifest/artifact.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"
#include "manifest/fields.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace xtc::manifest::detail {
namespace {

// No toolchain unpacks to a terabyte.
constexpr std::int64_t k_max_unpacked_size = std::int64_t{1} << 40;

// strip_components beyond this is a mistake, not a deep archive.
constexpr std::int64_t k_max_strip_components = 64;

const std::vector<std::string>& artifact_keys() {
  static const std::vector<std::string> keys = {"id",
                                                "kind",
                                                "flavor",
                                                "target",
                                                "host",
                                                "version",
                                                "libc",
                                                "libc_version",
                                                "urls",
                                                "sha256",
                                                "size",
                                                "format",
                                                "strip_components",
                                                "sysroot",
                                                "cflags",
                                                "tools",
                                                "minisign_key",
                                                "signature_urls",
                                                "max_unpacked_size",
                                                "min_host_version",
                                                "producer"};
  return keys;
}

const std::vector<std::string>& hosts() {
  static const std::vector<std::string> values = {
      "x86_64-linux", "aarch64-linux", "x86_64-darwin", "aarch64-darwin",
      "any"};
  return values;
}

const std::vector<std::string>& formats() {
  static const std::vector<std::string> values = {
      "tar", "tar.gz", "tar.xz", "tar.zst", "tar.bz2", "zip", "deb"};
  return values;
}

// Ids name directories under $XTC_HOME/toolchains, so "." and ".." (and any
// hidden name) must be impossible: the first character is alphanumeric.
bool is_valid_id(std::string_view id) {
  const auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  };
  const auto allowed = [&](char c) {
    return alnum(c) || c == '.' || c == '_' || c == '+' || c == '-';
  };
  return !id.empty() && alnum(id.front()) &&
         std::all_of(id.begin(), id.end(), allowed);
}

// curl takes the URL verbatim: a space or control character would be sent
// as is, so it is refused here rather than failing obscurely later.
bool is_url(std::string_view url) {
  const bool printable = std::all_of(url.begin(), url.end(), [](char c) {
    return static_cast<unsigned char>(c) > ' ' && c != '\x7f';
  });
  for (std::string_view scheme : {"https://", "http://", "file://", "oci://"}) {
    if (url.starts_with(scheme) && url.size() > scheme.size()) {
      return printable;
    }
  }
  return false;
}

// An array of URLs, each checked by is_url.
std::vector<std::string> read_urls(const FieldReader& fields,
                                   std::string_view key) {
  std::vector<std::string> urls = fields.strings(key);
  for (std::size_t i = 0; i < urls.size(); ++i) {
    if (!is_url(urls[i])) {
      fields.fail(key, fmt::format("entry {}: expected an https://, http://, "
                                   "file:// or oci:// URL, got '{}'",
                                   i + 1, urls[i]));
    }
  }
  return urls;
}

void read_kind_and_flavor(const FieldReader& fields, Artifact& artifact) {
  const std::string kind = fields.required_string("kind");
  static const std::vector<std::string> kinds = {"toolchain", "sysroot"};
  fields.require_choice("kind", kind, kinds);
  artifact.kind = kind == "toolchain" ? Kind::toolchain : Kind::sysroot;

  const std::optional<std::string> flavor = fields.string("flavor");
  if (artifact.kind == Kind::sysroot) {
    if (flavor) {
      fields.fail("flavor", "only toolchains have a flavor",
                  "a sysroot serves the llvm and zig flavors: remove the key");
    }
    return;
  }
  if (!flavor) {
    fields.fail_missing("flavor",
                        R"(a toolchain is flavor = "gcc" or flavor = "zig")");
  }
  if (*flavor == "llvm") {
    fields.fail("flavor", "there are no llvm toolchains",
                "the llvm flavor is the host's clang plus a sysroot: make "
                "this artifact kind = \"sysroot\"");
  }
  static const std::vector<std::string> flavors = {"gcc", "zig"};
  fields.require_choice("flavor", *flavor, flavors);
  artifact.flavor = *flavor == "gcc" ? Flavor::gcc : Flavor::zig;
}

// A pin written into the target ("x86_64-linux-gnu.2.17") moves into
// libc_version, so Artifact::target is never pinned and matching compares
// one field only.
void read_target_and_libc(const FieldReader& fields, Artifact& artifact) {
  const std::string target = fields.required_string("target");
  if (target == "any") {
    if (artifact.flavor != Flavor::zig) {
      fields.fail("target", "'any' is only for zig toolchains",
                  "name the triple this artifact is built for");
    }
  } else {
    try {
      artifact.target = triple::parse(target);
    } catch (const Error& error) {
      fields.fail("target", error.message(), error.hint());
    }
  }

  artifact.libc = fields.string("libc");
  static const std::vector<std::string> libcs = {"glibc", "musl"};
  if (artifact.libc) {
    fields.require_choice("libc", *artifact.libc, libcs);
    if (artifact.target && *artifact.libc != artifact.target->libc_name()) {
      fields.fail("libc", fmt::format("'{}' does not match target '{}' ({})",
                                      *artifact.libc, artifact.target->gnu(),
                                      artifact.target->libc_name()));
    }
  } else if (artifact.kind == Kind::sysroot) {
    fields.fail_missing("libc", "a sysroot names its C library: libc = "
                                "\"glibc\" or libc = \"musl\"");
  }

  artifact.libc_version = fields.string("libc_version");
  if (artifact.libc_version && !is_version(*artifact.libc_version)) {
    fields.fail("libc_version",
                fmt::format("expected digits and dots like '2.36', got '{}'",
                            *artifact.libc_version));
  }
  if (artifact.target && artifact.target->libc_version) {
    if (!artifact.libc_version) {
      artifact.libc_version = artifact.target->libc_version;
    } else if (*artifact.libc_version != *artifact.target->libc_version) {
      fields.fail("libc_version",
                  fmt::format("'{}' does not match the pin of target '{}'",
                              *artifact.libc_version, target));
    }
    artifact.target->libc_version.reset();
  }
}

void read_download(const FieldReader& fields, Artifact& artifact) {
  if (!fields.has("urls")) {
    fields.fail_missing("urls");
  }
  artifact.urls = read_urls(fields, "urls");
  if (artifact.urls.empty()) {
    fields.fail("urls", "expected at least one URL");
  }

  const std::string sha256 = fields.required_string("sha256");
  const std::optional<verify::Sha256Digest> digest =
      verify::Sha256Digest::from_hex(sha256);
  if (!digest) {
    fields.fail("sha256",
                fmt::format("expected 64 hex digits, got '{}'", sha256));
  }
  artifact.sha256 = *digest;
  // A registry blob's address is its digest: an oci:// URL naming another
  // one could never verify.
  const std::string blob_suffix = "@sha256:" + digest->hex();
  for (std::size_t i = 0; i < artifact.urls.size(); ++i) {
    if (artifact.urls[i].starts_with("oci://") &&
        !artifact.urls[i].ends_with(blob_suffix)) {
      fields.fail("urls",
                  fmt::format("entry {}: the oci:// URL '{}' does not end in "
                              "the artifact's digest '{}'",
                              i + 1, artifact.urls[i], blob_suffix.substr(1)));
    }
  }

  // Some producers publish a checksum but no size (Bootlin, Homebrew
  // formulas): then the key is absent and the download is checked by its
  // digest alone. A size that is written must be plausible.
  if (const std::optional<std::int64_t> size = fields.integer("size")) {
    if (*size <= 0) {
      fields.fail("size",
                  fmt::format("expected a positive integer, got {}", *size));
    }
    artifact.size = static_cast<std::uint64_t>(*size);
  }
  // The producer's own statement of how large the archive unpacks, for an
  // archive that really unpacks to more than xtc's bomb bound allows.
  if (const std::optional<std::int64_t> bound =
          fields.integer("max_unpacked_size")) {
    if (*bound <= 0 || *bound > k_max_unpacked_size) {
      fields.fail("max_unpacked_size",
                  fmt::format("expected a byte count from 1 to {}, got {}",
                              k_max_unpacked_size, *bound));
    }
    artifact.max_unpacked_size = static_cast<std::uint64_t>(*bound);
  }

  artifact.format = fields.required_string("format");
  fields.require_choice("format", artifact.format, formats());

  const std::optional<std::int64_t> strip = fields.integer("strip_components");
  if (strip) {
    if (*strip < 0 || *strip > k_max_strip_components) {
      fields.fail("strip_components",
                  fmt::format("expected an integer from 0 to {}, got {}",
                              k_max_strip_components, *strip));
    }
    artifact.strip_components = static_cast<unsigned>(*strip);
  }

  if (const std::optional<std::string> key = fields.string("minisign_key")) {
    try {
      artifact.minisign_key = verify::parse_minisign_key(*key, "minisign_key");
    } catch (const Error&) {
      fields.fail("minisign_key",
                  "expected a minisign public key (the base64 line of its "
                  ".pub file, \"RW…\")");
    }
  }
  if (fields.has("signature_urls")) {
    if (!artifact.minisign_key) {
      fields.fail("signature_urls", "only an artifact with a minisign_key has "
                                    "a producer signature");
    }
    artifact.signature_urls = read_urls(fields, "signature_urls");
  }
}

void read_layout(const FieldReader& fields, std::string_view source,
                 Artifact& artifact) {
  static constexpr std::string_view k_path_hint =
      "paths are relative to the install root, without '.' or '..' parts";
  artifact.sysroot = fields.string("sysroot");
  if (artifact.sysroot && !is_relative_normal(*artifact.sysroot)) {
    fields.fail("sysroot",
                fmt::format("expected a relative path inside the install "
                            "root, got '{}'",
                            *artifact.sysroot),
                std::string(k_path_hint));
  }
  artifact.cflags = fields.strings("cflags");

  const toml::table* tools = fields.table("tools");
  if (artifact.kind == Kind::sysroot) {
    if (tools != nullptr) {
      fields.fail("tools", "only toolchains map tools");
    }
    return;
  }
  static constexpr std::string_view k_tools_hint =
      "a toolchain maps at least its C compiler, as in [artifact.tools] "
      "cc = \"bin/gcc\"";
  if (tools == nullptr) {
    fields.fail_missing("tools", std::string(k_tools_hint));
  }
  const FieldReader tool_fields(*tools, source, fields.where(), "tools.");
  tool_fields.reject_unknown_keys(tool_names());
  for (const std::string& name : tool_names()) {
    std::optional<std::string> path = tool_fields.string(name);
    if (!path) {
      continue;
    }
    if (*path == "." || !is_relative_normal(*path)) {
      tool_fields.fail(name,
                       fmt::format("expected a relative path inside the "
                                   "install root, got '{}'",
                                   *path),
                       std::string(k_path_hint));
    }
    artifact.tools.emplace(name, std::move(*path));
  }
  if (!artifact.tools.contains("cc")) {
    tool_fields.fail_missing("cc", std::string(k_tools_hint));
  }
}

} // namespace

Artifact parse_artifact(const toml::node& node, std::size_t number,
                        std::string_view source) {
  const toml::table* table = node.as_table();
  if (table == nullptr) {
    throw manifest_error(
        source, fmt::format("artifact {}", number),
        fmt::format("expected a table, got {}", type_name(node)));
  }
  FieldReader fields(*table, source, fmt::format("artifact {}", number));
  Artifact artifact;
  artifact.id = fields.required_string("id");
  if (!is_valid_id(artifact.id)) {
    fields.fail("id", fmt::format("expected lower-case letters, digits and "
                                  "'._+-', starting with a letter or digit, "
                                  "got '{}'",
                                  artifact.id));
  }
  fields.set_where(fmt::format("artifact {} ('{}')", number, artifact.id));
  fields.reject_unknown_keys(artifact_keys());

  read_kind_and_flavor(fields, artifact);
  read_target_and_libc(fields, artifact);
  artifact.host = fields.required_string("host");
  fields.require_choice("host", artifact.host, hosts());
  artifact.min_host_version = fields.string("min_host_version");
  if (artifact.min_host_version) {
    if (!is_version(*artifact.min_host_version)) {
      fields.fail("min_host_version",
                  fmt::format("expected a version such as \"15\" or "
                              "\"2.31\", got '{}'",
                              *artifact.min_host_version));
    }
    if (artifact.host == "any") {
      fields.fail("min_host_version",
                  "a row for any host has no host version to require");
    }
  }
  artifact.producer = fields.string("producer");
  if (artifact.producer && !is_producer_name(*artifact.producer)) {
    fields.fail("producer",
                fmt::format("expected lower-case letters, digits and '-', "
                            "starting with a letter or digit, got '{}'",
                            *artifact.producer),
                "name who builds it as users know them: \"messense\", "
                "\"bootlin\", \"filosottile\"");
  }
  artifact.version = fields.required_string("version");
  if (artifact.version.empty()) {
    fields.fail("version", "expected a non-empty string");
  }
  read_download(fields, artifact);
  read_layout(fields, source, artifact);
  return artifact;
}

} // namespace xtc::manifest::detail
