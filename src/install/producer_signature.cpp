#include "install/producer_signature.hpp"

#include "base/error.hpp"
#include "fetch/oci.hpp"
#include "fetch/url.hpp"
#include "verify/minisign.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace xtc::install {
namespace {

constexpr std::string_view k_hint =
    "the producer's signature must accompany its archive; if the mirror "
    "lacks it, use another (XTC_MIRROR) or report the manifest row";

// The "file:<name>" of a trusted comment ("timestamp:… file:… hashed"), or
// an empty view when it names no file.
std::string_view signed_file_name(std::string_view comment) {
  const std::size_t at = comment.find("file:");
  if (at == std::string_view::npos) {
    return {};
  }
  const std::string_view rest = comment.substr(at + 5);
  return rest.substr(0, rest.find_first_of(" \t"));
}

} // namespace

std::string check_producer_signature(const manifest::Artifact& artifact,
                                     const std::filesystem::path& archive,
                                     const fetch::Options& options) {
  if (!artifact.minisign_key) {
    return {};
  }
  // The signature comes from where the archive may come from: a mirror's
  // copy named in signature_urls, else <url>.minisig of each archive URL.
  std::string text;
  std::string source;
  std::string last_error;
  // The name the producer signed: its archive URL's file name (the last
  // URL is the producer's own, after any mirror's).
  std::string expected_name;
  for (const std::string& url : artifact.urls) {
    if (!fetch::is_oci_url(url)) {
      expected_name = fetch::url_file_name(url);
    }
  }
  std::vector<std::string> candidates = artifact.signature_urls;
  for (const std::string& url :
       fetch::candidate_urls(artifact.urls, options.mirror)) {
    if (!fetch::is_oci_url(url)) { // a registry blob has no "<url>.minisig"
      candidates.push_back(fetch::signature_url(url));
    }
  }
  for (std::string& candidate : candidates) {
    try {
      text = fetch::fetch_text(candidate, options);
      source = std::move(candidate);
      break;
    } catch (const Error& e) {
      last_error = e.message();
    }
  }
  if (source.empty()) {
    throw Error(fmt::format("no producer signature for '{}': {}", artifact.id,
                            last_error),
                std::string(k_hint));
  }

  const verify::MinisignSignature signature =
      verify::parse_minisign_signature(text, source);
  const verify::MinisignKey& key = *artifact.minisign_key;
  if (signature.key_id != key.id) {
    throw Error(fmt::format("producer signature '{}' for '{}' is by key {}, "
                            "not by the producer's key {}",
                            source, artifact.id,
                            verify::key_id_hex(signature.key_id),
                            verify::key_id_hex(key.id)),
                std::string(k_hint));
  }
  const std::string_view signed_name =
      signed_file_name(signature.trusted_comment);
  if (!signed_name.empty() && signed_name != expected_name) {
    throw Error(fmt::format("producer signature '{}' for '{}' signs '{}', "
                            "not '{}'",
                            source, artifact.id, signed_name, expected_name),
                std::string(k_hint));
  }
  switch (verify::check_minisign_file(key, signature, archive, "download")) {
  case verify::SignatureCheck::valid:
    return text;
  case verify::SignatureCheck::bad_signature:
    throw Error(fmt::format("bad producer signature for '{}': the download "
                            "does not match '{}' (key {})",
                            artifact.id, source, verify::key_id_hex(key.id)),
                std::string(k_hint));
  case verify::SignatureCheck::bad_trusted_comment:
    throw Error(fmt::format("bad producer signature for '{}': the trusted "
                            "comment of '{}' was altered",
                            artifact.id, source),
                std::string(k_hint));
  }
  throw Error(
      fmt::format("cannot check the producer signature of '{}'", artifact.id));
}

} // namespace xtc::install
