#include "fetch/transport.hpp"

#include "base/interrupt.hpp"
#include "base/strings.hpp"
#include "fetch/url.hpp"

#include <fmt/format.h>

#include <charconv>

namespace xtc::fetch {
namespace {

constexpr long k_connect_timeout_s = 30;
// Below 1 KiB/s for Options::low_speed_time_s counts as a stall: the
// transfer is aborted and retried (resuming) instead of hanging forever.
constexpr long k_low_speed_bytes = 1024;
constexpr long k_max_redirects = 5;

std::optional<std::uint64_t> parse_number(std::string_view text) {
  text = trim(text);
  std::uint64_t value = 0;
  const auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    return std::nullopt;
  }
  return value;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count,
                      void* context) {
  RequestState& state = *static_cast<RequestState*>(context);
  const std::string_view line(data, size * count);
  if (line.substr(0, 5) == "HTTP/") {
    // A new response (after a redirect or a 100 Continue): forget the last.
    state.content_range_start.reset();
    state.retry_after.reset();
    state.location.clear();
    state.authenticate.clear();
    state.content_digest.clear();
    const std::size_t space = line.find(' ');
    const std::size_t reason = line.find(' ', space + 1);
    state.reason_phrase = reason == std::string_view::npos
                              ? std::string()
                              : std::string(trim(line.substr(reason + 1)));
    return line.size();
  }
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) {
    return line.size();
  }
  const std::string name = to_lower(trim(line.substr(0, colon)));
  const std::string_view value = trim(line.substr(colon + 1));
  if (name == "content-range" && value.substr(0, 6) == "bytes ") {
    const std::string_view range = value.substr(6);
    state.content_range_start = parse_number(range.substr(0, range.find('-')));
  } else if (name == "location") {
    state.location = std::string(value);
  } else if (name == "www-authenticate" && state.authenticate.empty()) {
    state.authenticate = std::string(value);
  } else if (name == "docker-content-digest") {
    state.content_digest = std::string(value);
  } else if (name == "retry-after") {
    // Only the delta-seconds form; an HTTP date falls back to our backoff.
    if (const auto seconds = parse_number(value)) {
      state.retry_after =
          std::chrono::seconds(std::min<std::uint64_t>(*seconds, 3600));
    }
  }
  return line.size();
}

// Decides, at the first body byte, whether the body is the file's bytes.
bool accept_body(RequestState& state) {
  if (!state.is_http) {
    return true; // file:// has no status; RESUME_FROM positioned it
  }
  long status = 0;
  if (curl_easy_getinfo(state.easy, CURLINFO_RESPONSE_CODE, &status) !=
      CURLE_OK) {
    return false;
  }
  if (status == 206) {
    if (state.content_range_start != state.range_start) {
      state.range_wrong = true;
      return false;
    }
    return true;
  }
  if (status == 200) {
    if (state.range_start > 0) {
      // The server ignored Range and sends the whole file: start over
      // before the first byte lands, or the .part would hold the prefix
      // twice.
      state.range_ignored = true;
      state.sink->reset();
    }
    return true;
  }
  return false;
}

std::size_t on_write(char* data, std::size_t size, std::size_t count,
                     void* context) {
  RequestState& state = *static_cast<RequestState*>(context);
  const std::size_t bytes = size * count;
  try {
    if (!state.body_started) {
      state.body_started = true;
      state.keep_body = accept_body(state);
    }
    if (!state.keep_body) {
      return bytes;
    }
    if (!state.sink->write(std::string_view(data, bytes))) {
      state.overflow = true;
      return 0; // makes libcurl stop with CURLE_WRITE_ERROR
    }
    return bytes;
  } catch (...) {
    // Exceptions must not unwind through libcurl's C frames.
    state.error = std::current_exception();
    return 0;
  }
}

int on_progress(void* context, curl_off_t total, curl_off_t /*now*/,
                curl_off_t upload_total, curl_off_t upload_now) {
  RequestState& state = *static_cast<RequestState*>(context);
  if (interrupt_requested()) {
    state.interrupted = true;
    return 1; // CURLE_ABORTED_BY_CALLBACK; the .part stays for a resume
  }
  if (state.cancel != nullptr && state.cancel->load()) {
    state.cancelled = true;
    return 1;
  }
  try {
    if (state.uploading) {
      state.progress->update(static_cast<std::uint64_t>(upload_now),
                             static_cast<std::uint64_t>(upload_total));
      return 0;
    }
    const std::uint64_t offset = state.range_ignored ? 0 : state.range_start;
    const std::uint64_t whole =
        total > 0 ? offset + static_cast<std::uint64_t>(total) : 0;
    state.progress->update(state.sink->held(), whole);
  } catch (...) {
    state.error = std::current_exception();
    return 1;
  }
  return 0;
}

// Runs once per connection, after it is made and before the request is
// sent, also for every redirect hop: the one place that sees the peer's
// address. Plain HTTP must only ever travel over loopback, whatever the URL
// or a redirect said (and through a proxy, the peer is the proxy).
int on_prereq(void* context, char* peer_ip, char* /*local_ip*/,
              int /*peer_port*/, int /*local_port*/) {
  RequestState& state = *static_cast<RequestState*>(context);
  const char* scheme = nullptr;
  if (curl_easy_getinfo(state.easy, CURLINFO_SCHEME, &scheme) != CURLE_OK ||
      scheme == nullptr) {
    state.refused = "cannot tell which protocol the request uses";
    return CURL_PREREQFUNC_ABORT;
  }
  if (to_lower(scheme) == "http" && !is_loopback_host(peer_ip)) {
    const char* url = nullptr;
    if (curl_easy_getinfo(state.easy, CURLINFO_EFFECTIVE_URL, &url) !=
        CURLE_OK) {
      url = nullptr;
    }
    state.refused = fmt::format("refusing plain HTTP to {} for '{}'", peer_ip,
                                url != nullptr ? url : "?");
    return CURL_PREREQFUNC_ABORT;
  }
  return CURL_PREREQFUNC_OK;
}

} // namespace

void configure_request(CURL* easy, const std::string& url,
                       const std::string& scheme, const Options& options,
                       RequestState& state, char* error_buffer,
                       const CurlSlist& headers) {
  set_option(easy, CURLOPT_URL, url.c_str());
  // Redirects may change host but never downgrade: from https only to https.
  // From loopback http, https is an upgrade and http is checked by on_prereq.
  const char* redirect_protocols = scheme == "http" ? "http,https" : "https";
#if LIBCURL_VERSION_NUM >= 0x075500
  set_option(easy, CURLOPT_PROTOCOLS_STR, "https,http,file");
  set_option(easy, CURLOPT_REDIR_PROTOCOLS_STR, redirect_protocols);
#else
  set_option(
      easy, CURLOPT_PROTOCOLS,
      static_cast<long>(CURLPROTO_HTTPS | CURLPROTO_HTTP | CURLPROTO_FILE));
  set_option(easy, CURLOPT_REDIR_PROTOCOLS,
             scheme == "http"
                 ? static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS)
                 : static_cast<long>(CURLPROTO_HTTPS));
#endif
  if (has_loopback_host(url)) {
    // libcurl would send even 127.0.0.1 through $http_proxy/$https_proxy,
    // where it names the proxy's own host (and on_prereq would refuse plain
    // HTTP to the proxy). Local mirrors and test servers are reached
    // directly.
#if LIBCURL_VERSION_NUM >= 0x075600
    set_option(easy, CURLOPT_NOPROXY, "localhost,127.0.0.0/8,::1");
#else
    set_option(easy, CURLOPT_NOPROXY, "localhost,127.0.0.1,::1");
#endif
  }
  // Each transfer is one body on its own connection, so HTTP/2's
  // multiplexing buys nothing, while its flow control slows a large body:
  // a 40 MB blob from a registry (Go's server offers h2) took 0.099 s with
  // curl over HTTP/2 and 0.074 s over HTTP/1.1, as fast as nginx.
  set_option(easy, CURLOPT_HTTP_VERSION,
             static_cast<long>(CURL_HTTP_VERSION_1_1));
  set_option(easy, CURLOPT_FOLLOWLOCATION, 1L);
  set_option(easy, CURLOPT_MAXREDIRS, k_max_redirects);
  // An Authorization header (a registry's token) goes to url's host only;
  // a redirect to blob storage elsewhere gets none (libcurl's default,
  // stated here because a registry token must never leak).
  set_option(easy, CURLOPT_UNRESTRICTED_AUTH, 0L);
  set_option(easy, CURLOPT_SSL_VERIFYPEER, 1L);
  set_option(easy, CURLOPT_SSL_VERIFYHOST, 2L);
  if (options.ca_bundle) {
    set_option(easy, CURLOPT_CAINFO, options.ca_bundle->c_str());
  }
  // Status codes are handled here, so their text and Retry-After are read.
  set_option(easy, CURLOPT_FAILONERROR, 0L);
  set_option(easy, CURLOPT_ERRORBUFFER, error_buffer);
  set_option(easy, CURLOPT_CONNECTTIMEOUT, k_connect_timeout_s);
  set_option(easy, CURLOPT_LOW_SPEED_LIMIT, k_low_speed_bytes);
  set_option(easy, CURLOPT_LOW_SPEED_TIME, options.low_speed_time_s);
  set_option(easy, CURLOPT_USERAGENT, "xtc/" XTC_VERSION);
  // No SIGALRM-based DNS timeouts: signals belong to the interrupt handler.
  set_option(easy, CURLOPT_NOSIGNAL, 1L);
  set_option(easy, CURLOPT_HEADERFUNCTION, &on_header);
  set_option(easy, CURLOPT_HEADERDATA, static_cast<void*>(&state));
  set_option(easy, CURLOPT_WRITEFUNCTION, &on_write);
  set_option(easy, CURLOPT_WRITEDATA, static_cast<void*>(&state));
  set_option(easy, CURLOPT_NOPROGRESS, 0L);
  set_option(easy, CURLOPT_XFERINFOFUNCTION, &on_progress);
  set_option(easy, CURLOPT_XFERINFODATA, static_cast<void*>(&state));
  set_option(easy, CURLOPT_PREREQFUNCTION, &on_prereq);
  set_option(easy, CURLOPT_PREREQDATA, static_cast<void*>(&state));
  if (headers.get() != nullptr) {
    set_option(easy, CURLOPT_HTTPHEADER, headers.get());
  }
  if (state.range_start > 0) {
    if (state.is_http) {
      // CURLOPT_RANGE, not RESUME_FROM: with RESUME_FROM libcurl fails a 200
      // answer with CURLE_RANGE_ERROR before we see it; with RANGE the 200
      // reaches accept_body, which restarts the file in the same request.
      set_option(easy, CURLOPT_RANGE,
                 fmt::format("{}-", state.range_start).c_str());
    } else {
      set_option(easy, CURLOPT_RESUME_FROM_LARGE,
                 static_cast<curl_off_t>(state.range_start));
    }
  }
}

} // namespace xtc::fetch
