#include "manifest/keyring.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"
#include "platform/atomic_file.hpp"
#include "platform/fd.hpp"
#include "platform/fs.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace xtc::manifest {

Keyring::Keyring(std::filesystem::path dir) : m_dir(std::move(dir)) {}

std::filesystem::path Keyring::path_of(const verify::MinisignKey& key) const {
  return m_dir / (verify::key_id_hex(key.id) + ".pub");
}

std::vector<TrustedKey> Keyring::keys() const {
  std::vector<std::filesystem::path> files;
  if (platform::path_exists(m_dir)) {
    for (const std::string& name : platform::list_directory(m_dir)) {
      if (name.ends_with(".pub")) {
        files.push_back(m_dir / name);
      }
    }
  }
  std::sort(files.begin(), files.end());
  return read_key_files(files);
}

TrustedKey Keyring::add(std::string_view text, std::string_view source) const {
  const verify::MinisignKey key = verify::parse_minisign_key(text, source);
  const std::filesystem::path path = path_of(key);
  platform::make_directories(m_dir, "key directory");
  platform::write_file_atomic(
      path,
      fmt::format("untrusted comment: minisign public key {}\n{}\n",
                  verify::key_id_hex(key.id), key.base64()),
      "public key");
  return {key, path.string()};
}

bool Keyring::remove(std::string_view key_id) const {
  const std::string id = to_upper(key_id);
  const bool well_formed =
      id.size() == 16 && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
      });
  if (!well_formed) {
    throw usage_error(fmt::format("invalid key id '{}'", key_id),
                      "a key id is 16 hex digits, as 'xtc key list' prints");
  }
  const std::filesystem::path path = m_dir / (id + ".pub");
  if (::unlink(path.c_str()) != 0) {
    if (errno == ENOENT) {
      return false;
    }
    throw_errno(fmt::format("cannot remove key '{}'", path.string()));
  }
  platform::sync_directory(m_dir);
  return true;
}

std::vector<TrustedKey>
read_key_files(const std::vector<std::filesystem::path>& files) {
  std::vector<TrustedKey> keys;
  for (const std::filesystem::path& file : files) {
    const std::string text = platform::read_file(file, "public key");
    keys.push_back(
        {verify::parse_minisign_key(text, file.string()), file.string()});
  }
  return keys;
}

} // namespace xtc::manifest
