#include "manifest/signature.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"
#include "base/toml_guard.hpp"
#include "platform/atomic_file.hpp"
#include "platform/fd.hpp"
#include "platform/file_lock.hpp"
#include "platform/fs.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <sstream>

namespace xtc::manifest {
namespace {

// The project's manifest signing keys (their secret halves never enter the
// repository), newest first: the release key 0F4C44AD365A84F1 signs the
// shipped manifest; DC6A6B612D3A8F03 and, before it, 9ACC1EA5BD91B267
// (xtc 0.1's) signed earlier ones, have retired secrets, and stay trusted
// for manifests they already signed.
// Organisations add their own with `xtc key add`.
constexpr std::array<std::string_view, 3> k_project_keys = {
    "RWTxhFo2rURMD7kgOnGjWyygTItZIEPwYvyO6yRI0ckiyaGrAHPHxtSr",
    "RWQDjzotYWtq3L+pOi1CxKSeE8uWsnEkM0weaOi/HpZAC3ZwqpzPe0OX",
    "RWRnspG9pR7Mmta48MLCBBnSmIBE7ktQObDO18YeMVIigQ0cgP5i/r/l"};

constexpr std::string_view k_sign_hint =
    "sign manifests with 'scripts/sign-manifest SECRET_KEY FILE'";

struct TrustedComment {
  std::optional<std::uint64_t> timestamp;
  std::optional<std::string> file;
};

// minisign writes "timestamp:N\tfile:NAME\thashed"; scripts/sign-manifest
// writes the same fields separated by spaces. Unknown fields are ignored.
TrustedComment parse_trusted_comment(std::string_view comment) {
  TrustedComment out;
  std::size_t pos = 0;
  while (pos < comment.size()) {
    const std::size_t end = comment.find_first_of(" \t", pos);
    const std::string_view field =
        comment.substr(pos, end == std::string_view::npos ? end : end - pos);
    if (field.starts_with("timestamp:")) {
      const std::string_view digits = field.substr(10);
      std::uint64_t value = 0;
      const auto [ptr, ec] =
          std::from_chars(digits.data(), digits.data() + digits.size(), value);
      if (ec == std::errc() && ptr == digits.data() + digits.size() &&
          !digits.empty()) {
        out.timestamp = value;
      }
    } else if (field.starts_with("file:")) {
      out.file = std::string(field.substr(5));
    }
    if (end == std::string_view::npos) {
      break;
    }
    pos = end + 1;
  }
  return out;
}

std::string key_list(const std::vector<TrustedKey>& keys) {
  std::vector<std::string> ids;
  for (const TrustedKey& key : keys) {
    ids.push_back(verify::key_id_hex(key.key.id));
  }
  return ids.empty() ? std::string("none") : join(ids, ", ");
}

using AcceptedTable =
    std::map<std::string, std::map<std::string, std::uint64_t>>;

AcceptedTable read_accepted(const std::filesystem::path& path) {
  AcceptedTable table;
  const std::optional<std::string> text =
      platform::read_file_if_exists(path, "manifest record");
  if (!text) {
    return table;
  }
  toml::table doc;
  try {
    guard_toml_nesting(*text, path.string());
    doc = toml::parse(*text, path.string());
  } catch (const toml::parse_error& error) {
    throw Error(fmt::format("damaged manifest record '{}': {}", path.string(),
                            error.description()),
                "remove it; xtc then accepts the next validly signed manifest");
  }
  for (const auto& [key_id, files] : doc) {
    const toml::table* entries = files.as_table();
    if (entries == nullptr) {
      continue;
    }
    for (const auto& [file, value] : *entries) {
      if (const std::optional<std::int64_t> time = value.value<std::int64_t>();
          time && *time >= 0) {
        table[std::string(key_id.str())][std::string(file.str())] =
            static_cast<std::uint64_t>(*time);
      }
    }
  }
  return table;
}

std::string render_accepted(const AcceptedTable& table) {
  std::string out = "# The newest signed manifest xtc accepted, per signing "
                    "key and file name:\n# an older one is refused as a "
                    "replay.\n";
  for (const auto& [key_id, files] : table) {
    out += fmt::format("\n[\"{}\"]\n", key_id);
    for (const auto& [file, time] : files) {
      // toml++ escapes the name as a quoted key.
      toml::table row;
      row.insert(file, static_cast<std::int64_t>(time));
      std::ostringstream line;
      line << row;
      out += line.str() + "\n";
    }
  }
  return out;
}

} // namespace

std::vector<TrustedKey> builtin_keys() {
  std::vector<TrustedKey> keys;
  for (const std::string_view key : k_project_keys) {
    keys.push_back(
        {verify::parse_minisign_key(key, "built-in key"), "built in"});
  }
  return keys;
}

Signed check_signature(std::string_view text, std::string_view signature_text,
                       std::string_view file_name, std::string_view source,
                       std::string_view signature_source,
                       const std::vector<TrustedKey>& keys) {
  const verify::MinisignSignature signature =
      verify::parse_minisign_signature(signature_text, signature_source);
  const std::string id = verify::key_id_hex(signature.key_id);
  const auto trusted =
      std::find_if(keys.begin(), keys.end(), [&](const TrustedKey& key) {
        return key.key.id == signature.key_id;
      });
  if (trusted == keys.end()) {
    throw Error(fmt::format("manifest '{}' is signed by key {}, which xtc "
                            "does not trust",
                            source, id),
                fmt::format("trusted keys: {}; add the publisher's key with "
                            "'xtc key add FILE'",
                            key_list(keys)));
  }
  switch (verify::check_minisign(trusted->key, signature, text)) {
  case verify::SignatureCheck::valid:
    break;
  case verify::SignatureCheck::bad_signature:
    throw Error(fmt::format("bad signature for manifest '{}': its content does "
                            "not match '{}' (key {})",
                            source, signature_source, id),
                "the manifest or its signature was altered; use the "
                "publisher's files");
  case verify::SignatureCheck::bad_trusted_comment:
    throw Error(fmt::format("bad signature for manifest '{}': the trusted "
                            "comment of '{}' was altered",
                            source, signature_source),
                "the manifest or its signature was altered; use the "
                "publisher's files");
  }
  const TrustedComment comment =
      parse_trusted_comment(signature.trusted_comment);
  if (!comment.timestamp) {
    throw Error(fmt::format("signature '{}' has no 'timestamp:' in its trusted "
                            "comment, so a replay could not be detected",
                            signature_source),
                std::string(k_sign_hint));
  }
  if (!comment.file) {
    throw Error(fmt::format("signature '{}' has no 'file:' in its trusted "
                            "comment, so it could be used for any manifest",
                            signature_source),
                std::string(k_sign_hint));
  }
  if (*comment.file != file_name) {
    throw Error(fmt::format("manifest '{}' carries the signature of '{}', not "
                            "of '{}' (swapped manifest?)",
                            source, *comment.file, file_name),
                "use the manifest the signature was made for");
  }
  return {id, *comment.timestamp, std::string(file_name)};
}

AcceptedManifests::AcceptedManifests(std::filesystem::path dir)
    : m_dir(std::move(dir)) {}

std::optional<std::uint64_t>
AcceptedManifests::newest(const Signed& manifest) const {
  const AcceptedTable table = read_accepted(m_dir / "accepted.toml");
  const auto key = table.find(manifest.key_id);
  if (key == table.end()) {
    return std::nullopt;
  }
  const auto file = key->second.find(manifest.file_name);
  if (file == key->second.end()) {
    return std::nullopt;
  }
  return file->second;
}

void AcceptedManifests::check_fresh(const Signed& manifest,
                                    std::string_view source) const {
  const std::optional<std::uint64_t> seen = newest(manifest);
  if (seen && manifest.timestamp < *seen) {
    throw Error(
        fmt::format("manifest '{}' is older than one already accepted: signed "
                    "at timestamp {}, but '{}' from timestamp {} was accepted "
                    "before (replayed or downgraded manifest?)",
                    source, manifest.timestamp, manifest.file_name, *seen),
        "use an up-to-date mirror");
  }
}

void AcceptedManifests::remember(const Signed& manifest) const {
  platform::make_directories(m_dir, "manifest directory");
  const platform::FileLock lock = platform::FileLock::acquire(
      m_dir / "accepted.lock", platform::FileLock::Mode::exclusive);
  const std::filesystem::path path = m_dir / "accepted.toml";
  AcceptedTable table = read_accepted(path);
  std::uint64_t& time = table[manifest.key_id][manifest.file_name];
  if (time >= manifest.timestamp && time != 0) {
    return;
  }
  time = manifest.timestamp;
  platform::write_file_atomic(path, render_accepted(table), "manifest record");
}

} // namespace xtc::manifest
