// One request of a transfer: configure the easy handle with the transport
// rules, perform it into the sink (resuming from what the sink holds), and
// classify what happened so the retry loop can decide. Internal to fetch/.
#pragma once

#include "fetch/curl_handle.hpp"
#include "fetch/transfer.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace xtc::fetch {

struct Outcome {
  enum class Kind { done, transient, permanent };
  Kind kind = Kind::permanent;
  TransferEnd end = TransferEnd::complete; // meaningful when done
  std::string reason;                      // "HTTP 404 Not Found", curl's text
  std::string hint;
  std::optional<std::chrono::seconds> retry_after;
  long status = 0;          // the HTTP status, when there was one
  std::string authenticate; // a 401's WWW-Authenticate header
};

// Performs one request for url into sink, with `authorization` as the
// Authorization header's value when it is not empty (libcurl sends it to
// url's host only, never to a redirect's other host). Throws only for what no
// retry can fix: Ctrl-C (the interrupted Error) and the sink's own write
// errors.
Outcome perform_attempt(CURL* easy, const std::string& url,
                        const TransferSpec& spec, Sink& sink,
                        const Options& options, Progress& progress,
                        const std::string& authorization);

// "HTTP 404 Not Found": the status with the server's reason phrase, or
// without one (HTTP/2 sends none) the standard phrase where there is one.
std::string status_line(long status, std::string_view phrase = {});

// "cannot download '<label>' from '<url>': <reason>", or for a document
// "cannot fetch '<url>': <reason>".
std::string describe_failure(const TransferSpec& spec, const std::string& url,
                             const Outcome& outcome);

} // namespace xtc::fetch
