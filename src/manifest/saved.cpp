#include "manifest/saved.hpp"

#include "base/error.hpp"
#include "base/strings.hpp"
#include "platform/atomic_file.hpp"
#include "platform/fd.hpp"
#include "platform/fs.hpp"
#include "verify/sha256.hpp"

#include <fmt/format.h>

namespace xtc::manifest {
namespace {

// "xtc-saved-manifest 1 <signature bytes> <url>\n", the signature, the text.
// The URL is there for people reading the directory, and to tell a hash
// collision (never seen) from a match.
constexpr std::string_view k_magic = "xtc-saved-manifest 1 ";

} // namespace

SavedManifests::SavedManifests(std::filesystem::path dir)
    : m_dir(std::move(dir)) {}

std::filesystem::path SavedManifests::path_of(std::string_view url) const {
  verify::Sha256 hasher;
  hasher.update(url);
  return m_dir / hasher.finish().hex();
}

void SavedManifests::save(std::string_view url, std::string_view text,
                          std::string_view signature) const {
  platform::make_directories(m_dir, "saved manifest directory");
  // The URL as people may see it: a password in it stays out of the file
  // (the file's name, a digest of the whole URL, still tells URLs apart).
  std::string data = fmt::format("{}{} {}\n", k_magic, signature.size(),
                                 redact_credentials(url));
  data.append(signature);
  data.append(text);
  platform::update_file_atomic(path_of(url), data, "saved manifest");
}

std::optional<SavedCopy> SavedManifests::load(std::string_view url) const {
  const std::filesystem::path path = path_of(url);
  std::optional<std::string> data =
      platform::read_file_if_exists(path, "saved manifest");
  if (!data) {
    return std::nullopt;
  }
  const auto damaged = [&path] {
    return Error(fmt::format("saved manifest '{}' is damaged", path.string()),
                 "delete it and run the command once without --offline");
  };
  const std::size_t eol = data->find('\n');
  if (!data->starts_with(k_magic) || eol == std::string::npos) {
    throw damaged();
  }
  const std::string_view header =
      std::string_view(*data).substr(k_magic.size(), eol - k_magic.size());
  const std::size_t space = header.find(' ');
  const std::optional<unsigned long long> size =
      parse_uint(header.substr(0, space));
  if (space == std::string_view::npos || !size ||
      header.substr(space + 1) != redact_credentials(url) ||
      *size > data->size() - (eol + 1)) {
    throw damaged();
  }
  const std::size_t body = eol + 1;
  return SavedCopy{data->substr(body + *size), data->substr(body, *size), path};
}

} // namespace xtc::manifest
