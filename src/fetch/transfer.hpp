// One transfer of a document into a Sink over libcurl, with the transport
// rules every download follows: certificate verification always on, plain
// HTTP only to a loopback peer, redirects never downgrade https, stalls time
// out. Transient failures are retried with backoff, resuming from the bytes
// the sink already holds; then the next URL is tried. Internal to fetch/.
#pragma once

#include "fetch/download.hpp"
#include "fetch/progress.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xtc::fetch {

// Where a transfer's body goes: a .part file or a string.
class Sink {
public:
  Sink() = default;
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;
  virtual ~Sink() = default;

  // Bytes already held; the next request asks only for the rest.
  virtual std::uint64_t held() const = 0;
  // Drops every held byte (the server ignored the Range request).
  virtual void reset() = 0;
  // Appends body bytes. Returns false when they would exceed the sink's
  // limit; throws xtc::Error when they cannot be stored.
  virtual bool write(std::string_view chunk) = 0;
};

enum class TransferEnd {
  complete,            // the server sent the rest of the body
  range_unsatisfiable, // nothing left to send: the held bytes may be whole
  too_large,           // the sink refused more bytes
};

struct TransferResult {
  TransferEnd end;
  std::string url; // the URL that answered
};

struct TransferSpec {
  // Names the download in messages: "cannot download '<label>' from
  // '<url>': …"; empty for documents: "cannot fetch '<url>': …".
  std::string label;
  std::vector<std::string> urls;   // already checked by check_url_allowed
  std::uint64_t expected_size = 0; // 0: unknown
  bool no_cache = false;           // ask caches to revalidate (manifests)
  // The Authorization header's value for every request (a token service's
  // Basic credentials); empty: none. oci:// URLs get theirs from
  // Options::registry_auth instead.
  std::string authorization;
};

// Tries spec.urls in order until one answers. An oci:// URL is fetched from
// its registry's blob endpoint, answering the registry's 401 challenges. Throws
// xtc::Error naming the last URL and the reason when none did, the interrupted
// Error when Ctrl-C was pressed, and the sink's own Error when it cannot store
// bytes.
TransferResult transfer(const TransferSpec& spec, Sink& sink,
                        const Options& options, Progress& progress);

// A small document (at most 16 MiB: a manifest, a token) fetched into
// memory by transfer(). Throws as transfer() does, and when the document is
// larger.
std::string transfer_text(const TransferSpec& spec, const Options& options);

// How long to wait before retry number `attempt` (0-based): 250 ms doubling,
// plus up to half of that again as jitter; a server's Retry-After (capped at
// 30 s) wins.
std::chrono::milliseconds
retry_delay(int attempt, std::optional<std::chrono::seconds> retry_after);

} // namespace xtc::fetch
