// Downloads with libcurl (the only module that includes curl.h): HTTPS with
// certificate verification always on, plain HTTP only to loopback, file://
// for local mirrors. Resumable (Range from a .part file), retried with
// backoff on transient failures, then the next mirror. The bytes are hashed
// while they stream; a download only gets its final name when its SHA-256 and
// size match.
#pragma once

#include "base/env.hpp"
#include "verify/sha256.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace xtc::fetch {

// Process-wide libcurl setup; construct one in the CLI path before any
// download (never in the shim).
class GlobalInit {
public:
  GlobalInit();
  GlobalInit(const GlobalInit&) = delete;
  GlobalInit& operator=(const GlobalInit&) = delete;
  ~GlobalInit();
};

struct Request {
  std::string label;             // shown in progress and errors (artifact id)
  std::vector<std::string> urls; // mirrors, tried in order
  verify::Sha256Digest sha256;   // expected digest
  std::uint64_t size = 0;        // expected size in bytes (0: unknown)
  std::filesystem::path dest;    // final path; "<dest>.part" while loading
};

struct Options {
  // CA bundle: XTC_CA_BUNDLE, else CURL_CA_BUNDLE, else SSL_CERT_FILE, else
  // libcurl's default.
  std::optional<std::filesystem::path> ca_bundle;
  // XTC_MIRROR: "FROM=TO" prefix rewrite, or a plain base URL replacing the
  // scheme+host of every URL.
  std::optional<std::string> mirror;
  int retries = 3;      // attempts per URL beyond the first
  bool progress = true; // progress output on stderr
  bool offline = false; // only an existing complete file counts

  // Reads XTC_CA_BUNDLE / CURL_CA_BUNDLE / SSL_CERT_FILE / XTC_MIRROR.
  static Options from_env(const Env& env);
};

// Makes request.dest hold the verified bytes. Returns immediately when dest
// already exists (it is only ever created verified). Throws xtc::Error naming
// the label, the URL tried last and, on a digest mismatch, both digests; the
// .part file is removed when its bytes cannot be right.
void download(const Request& request, const Options& options);

// Fetches a small document (a manifest) into memory; same transport rules.
std::string fetch_text(const std::string& url, const Options& options);

} // namespace xtc::fetch
