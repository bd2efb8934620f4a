// The transport rules of every request, as libcurl options and callbacks:
// protocols https/http/file, certificate verification always on, redirects
// that never downgrade, plain HTTP only to a loopback peer, stall and
// connect timeouts, Ctrl-C checked while bytes flow, Range resumes, and the
// body streamed into a Sink only when it is the file's bytes. Internal to
// fetch/.
#pragma once

#include "fetch/curl_handle.hpp"
#include "fetch/download.hpp"
#include "fetch/progress.hpp"
#include "fetch/transfer.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>

namespace xtc::fetch {

// What the callbacks of one request share with perform_attempt.
struct RequestState {
  CURL* easy = nullptr;
  Sink* sink = nullptr;
  Progress* progress = nullptr;
  std::uint64_t range_start = 0; // bytes held when the request was made
  bool is_http = false;
  bool uploading = false; // progress counts the bytes sent, not received

  // From the headers of the latest response (a redirect starts over).
  std::string reason_phrase;
  std::optional<std::uint64_t> content_range_start;
  std::optional<std::chrono::seconds> retry_after;
  std::string location;
  std::string authenticate;   // WWW-Authenticate
  std::string content_digest; // Docker-Content-Digest (registries)

  bool body_started = false;
  bool keep_body = false; // false: an error page, discarded
  bool range_ignored = false;
  bool range_wrong = false; // 206 for another offset than asked
  bool overflow = false;
  bool interrupted = false;
  const std::atomic<bool>* cancel = nullptr; // Options::cancel
  bool cancelled = false;
  std::string refused; // why the plain-HTTP guard stopped the request
  std::exception_ptr error;
};

// Configures easy (freshly reset) to fetch url into state.sink, resuming
// from state.range_start. error_buffer (CURL_ERROR_SIZE bytes), state and
// headers must outlive curl_easy_perform. Throws xtc::Error when libcurl
// refuses an option.
void configure_request(CURL* easy, const std::string& url,
                       const std::string& scheme, const Options& options,
                       RequestState& state, char* error_buffer,
                       const CurlSlist& headers);

} // namespace xtc::fetch
