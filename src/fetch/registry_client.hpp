// Pushing to an OCI registry (what `xtc mirror oci://…` does): the
// distribution spec's blob existence check (HEAD), monolithic upload (POST
// to open a session, PUT with the digest to close it) and image manifest
// PUT, each request under the transport rules of every download
// (transport.hpp) and answering the registry's 401 challenges with the
// same credentials and token cache as pulls, for "pull,push" scope.
#pragma once

#include "fetch/download.hpp"
#include "fetch/progress.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace xtc::fetch {

class RegistryClient {
public:
  // Throws xtc::Error when registry or repository is not valid (see
  // parse_oci_url).
  RegistryClient(std::string registry, std::string repository,
                 const Options& options);

  // True when the repository holds the blob ("sha256:<hex>").
  bool has_blob(std::string_view digest);

  // Uploads a file as the blob `digest`, its bytes counted on `progress`;
  // the registry checks the digest before it accepts the upload. Throws
  // xtc::Error naming the registry and the status when it refuses.
  void push_blob(const std::filesystem::path& file, std::string_view digest,
                 std::uint64_t size, Progress& progress);
  // The same for bytes in memory (a config blob).
  void push_blob(std::string_view bytes, std::string_view digest);

  // True when `reference` (a tag) names a manifest whose digest is `digest`.
  bool has_manifest(std::string_view reference, std::string_view digest);

  // Stores an image manifest under `reference` (a tag).
  void put_manifest(std::string_view reference, std::string_view media_type,
                    std::string_view json);

  // "oci://<registry>/<repository>"
  std::string describe() const;

private:
  struct Reply;
  struct Body;
  // One request, with `header` (a whole line) when not empty; answers
  // 401 challenges. Throws when the registry cannot be reached or refuses
  // the credentials.
  Reply exchange(std::string_view method, const std::string& url,
                 const Body& body, const std::string& header);
  void upload(const Body& body, std::string_view digest);

  std::string m_registry;
  std::string m_repository;
  std::string m_scope;
  const Options& m_options;
};

} // namespace xtc::fetch
