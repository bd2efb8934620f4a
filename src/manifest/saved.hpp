// Verified copies of manifests fetched from URLs, kept so that --offline can
// use a URL manifest without the network: one file per URL under
// $XTC_HOME/manifests/saved, named by the SHA-256 of the URL, holding the
// signature and the text together so that a save replaces both in one
// rename (two processes saving at once can never leave a text beside
// another text's signature). A copy is checked again, signature and
// freshness, every time it is used: the directory is not trusted.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace xtc::manifest {

struct SavedCopy {
  std::string text;
  std::string signature;
  std::filesystem::path path; // the file it was read from, for messages
};

class SavedManifests {
public:
  explicit SavedManifests(std::filesystem::path dir);

  // Replaces the copy saved for `url` (atomically; leaves an identical one
  // alone). Throws xtc::Error on I/O errors.
  void save(std::string_view url, std::string_view text,
            std::string_view signature) const;
  // The copy saved for `url`, or nullopt when there is none. Throws
  // xtc::Error when the file is there but not in the saved format.
  std::optional<SavedCopy> load(std::string_view url) const;

  std::filesystem::path path_of(std::string_view url) const;

private:
  std::filesystem::path m_dir;
};

} // namespace xtc::manifest
