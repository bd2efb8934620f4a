// Downloads with libcurl (the only module that includes curl.h): HTTPS with
// certificate verification always on, plain HTTP only to loopback, file://
// for local mirrors. Resumable (Range from a .part file), retried with
// backoff on transient failures, then the next mirror. The bytes are hashed
// while they stream; a download only gets its final name when its SHA-256 and
// size match. A StreamObserver sees the file's bytes in order while they
// arrive (an extractor unpacking during the download).
#pragma once

#include "base/env.hpp"
#include "fetch/progress.hpp"
#include "verify/sha256.hpp"

#include <atomic>
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

// Sees every byte of a download in file order, from the first: bytes an
// earlier run left in the .part file are replayed before new ones arrive.
// When held bytes turn out not to belong to the file (the server ignored a
// Range request, the next mirror answers from the start, a complete .part
// fails verification), restart() says the stream begins again at offset 0.
// Called on the downloading thread; may throw xtc::Error to stop it.
class StreamObserver {
public:
  StreamObserver() = default;
  StreamObserver(const StreamObserver&) = delete;
  StreamObserver& operator=(const StreamObserver&) = delete;
  virtual ~StreamObserver() = default;

  virtual void restart() = 0;
  virtual void bytes(std::string_view chunk) = 0;
};

struct Request {
  std::string label;             // shown in progress and errors (artifact id)
  std::vector<std::string> urls; // mirrors, tried in order
  verify::Sha256Digest sha256;   // expected digest
  std::uint64_t size = 0;        // expected size in bytes (0: unknown)
  std::filesystem::path dest;    // final path; "<dest>.part" while loading
  StreamObserver* observer = nullptr; // sees the bytes as they arrive
  Progress* progress = nullptr; // the download's progress row; null: its own
};

enum class Fetched {
  cached,     // dest already existed: nothing was read or observed
  downloaded, // dest was made now; the observer saw all of its bytes
};

class RegistryAuth;

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
  // A stall: below 1 KiB/s for this long aborts the request (it is then
  // retried, resuming). XTC_LOW_SPEED_TIME overrides it.
  long low_speed_time_s = 30;
  // Set by another thread to stop the download (a sibling download failed);
  // it unwinds with an Error, keeping the .part for a later resume.
  const std::atomic<bool>* cancel = nullptr;
  // Answers registries' challenges and caches their tokens, for every
  // download made with these options (null: anonymous, per transfer).
  std::shared_ptr<RegistryAuth> registry_auth;

  // Reads XTC_CA_BUNDLE / CURL_CA_BUNDLE / SSL_CERT_FILE / XTC_MIRROR /
  // XTC_LOW_SPEED_TIME, and keeps env for registry credentials; throws
  // xtc::Error for a malformed value.
  static Options from_env(const Env& env);
};

// Makes request.dest hold the verified bytes. Returns immediately when dest
// already exists (it is only ever created verified). Throws xtc::Error naming
// the label, the URL tried last and, on a digest mismatch, both digests; the
// .part file is removed when its bytes cannot be right. Throws for an
// --offline request whose dest is missing.
Fetched download(const Request& request, const Options& options);

// Fetches a small document (a manifest) into memory; same transport rules.
std::string fetch_text(const std::string& url, const Options& options);

} // namespace xtc::fetch
