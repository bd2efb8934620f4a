#include "fetch/attempt.hpp"

#include "base/error.hpp"
#include "base/interrupt.hpp"
#include "fetch/transport.hpp"
#include "fetch/url.hpp"

#include <array>
#include <exception>

namespace xtc::fetch {
namespace {

constexpr std::string_view k_network_hint =
    "check the network connection and proxy settings, or set XTC_MIRROR to "
    "another mirror";
constexpr std::string_view k_source_hint = "check the manifest or XTC_MIRROR";
constexpr std::string_view k_server_hint =
    "the server is overloaded or failing; try again later or set XTC_MIRROR "
    "to another mirror";
constexpr std::string_view k_tls_hint =
    "set XTC_CA_BUNDLE to a CA bundle that trusts this server";

bool is_transient(CURLcode code) {
  switch (code) {
  case CURLE_COULDNT_RESOLVE_PROXY:
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_COULDNT_CONNECT:
  case CURLE_OPERATION_TIMEDOUT:
  case CURLE_PARTIAL_FILE:
  case CURLE_RECV_ERROR:
  case CURLE_SEND_ERROR:
  case CURLE_GOT_NOTHING:
  case CURLE_SSL_CONNECT_ERROR:
  case CURLE_HTTP2:
  case CURLE_HTTP2_STREAM:
    return true;
  default:
    return false;
  }
}

bool is_tls_trust_error(CURLcode code) {
  return code == CURLE_PEER_FAILED_VERIFICATION ||
         code == CURLE_SSL_CACERT_BADFILE || code == CURLE_SSL_CERTPROBLEM ||
         code == CURLE_SSL_ISSUER_ERROR;
}

// The standard reason phrase of a status, empty for one not listed.
std::string_view standard_reason(long status) {
  switch (status) {
  case 400:
    return "Bad Request";
  case 401:
    return "Unauthorized";
  case 403:
    return "Forbidden";
  case 404:
    return "Not Found";
  case 405:
    return "Method Not Allowed";
  case 410:
    return "Gone";
  case 416:
    return "Range Not Satisfiable";
  case 429:
    return "Too Many Requests";
  case 500:
    return "Internal Server Error";
  case 502:
    return "Bad Gateway";
  case 503:
    return "Service Unavailable";
  case 504:
    return "Gateway Timeout";
  default:
    return "";
  }
}

Outcome done(TransferEnd end) {
  Outcome outcome;
  outcome.kind = Outcome::Kind::done;
  outcome.end = end;
  return outcome;
}

Outcome failed(Outcome::Kind kind, std::string reason, std::string_view hint) {
  Outcome outcome;
  outcome.kind = kind;
  outcome.reason = std::move(reason);
  outcome.hint = std::string(hint);
  return outcome;
}

Outcome classify_http(const RequestState& state, long status,
                      const TransferSpec& spec, Sink& sink) {
  if (status == 200 || status == 206) {
    if (state.range_wrong) {
      sink.reset();
      return failed(Outcome::Kind::transient,
                    "the server answered a different byte range than asked",
                    k_network_hint);
    }
    if (status == 200 && state.range_start > 0 && !state.body_started) {
      sink.reset(); // an empty 200 to a Range request: the file is empty
    }
    if (spec.expected_size != 0 && sink.held() < spec.expected_size) {
      return failed(Outcome::Kind::transient,
                    fmt::format("the connection closed after {} of {} bytes",
                                sink.held(), spec.expected_size),
                    k_network_hint);
    }
    return done(TransferEnd::complete);
  }
  if (status == 416 && state.range_start > 0) {
    return done(TransferEnd::range_unsatisfiable);
  }
  const std::string reason = status_line(status, state.reason_phrase);
  if (status == 429 || status >= 500) {
    Outcome outcome = failed(Outcome::Kind::transient, reason, k_server_hint);
    outcome.retry_after = state.retry_after;
    return outcome;
  }
  Outcome outcome = failed(Outcome::Kind::permanent, reason, k_source_hint);
  outcome.status = status;
  if (status == 401) {
    outcome.authenticate = state.authenticate;
  }
  return outcome;
}

} // namespace

std::string status_line(long status, std::string_view phrase) {
  if (phrase.empty()) {
    phrase = standard_reason(status);
  }
  return phrase.empty() ? fmt::format("HTTP {}", status)
                        : fmt::format("HTTP {} {}", status, phrase);
}

Outcome perform_attempt(CURL* easy, const std::string& url,
                        const TransferSpec& spec, Sink& sink,
                        const Options& options, Progress& progress,
                        const std::string& authorization) {
  // A reset handle keeps its connection cache, so retries and the next
  // download from the same host reuse the TLS session.
  curl_easy_reset(easy);
  const std::string scheme = url_scheme(url);
  RequestState state;
  state.easy = easy;
  state.sink = &sink;
  state.progress = &progress;
  state.range_start = sink.held();
  state.is_http = scheme != "file";
  state.cancel = options.cancel;
  CurlSlist headers;
  if (spec.no_cache) {
    headers.append("Cache-Control: no-cache");
  }
  if (!authorization.empty()) {
    headers.append("Authorization: " + authorization);
  }
  std::array<char, CURL_ERROR_SIZE> error_buffer{};
  configure_request(easy, url, scheme, options, state, error_buffer.data(),
                    headers);

  progress.start();
  const CURLcode code = curl_easy_perform(easy);
  if (state.error) {
    std::rethrow_exception(state.error);
  }
  if (state.interrupted) {
    progress.clear();
    throw_if_interrupted();
  }
  if (state.cancelled) {
    throw Error(fmt::format("download of '{}' cancelled", spec.label));
  }
  if (!state.refused.empty()) {
    return failed(Outcome::Kind::permanent, state.refused,
                  "plain http:// is only allowed to 127.0.0.1, ::1 or "
                  "localhost; use an https:// URL");
  }
  if (state.overflow) {
    return done(TransferEnd::too_large);
  }
  if (code != CURLE_OK) {
    if (code == CURLE_BAD_DOWNLOAD_RESUME) {
      // file:// asked to resume at or past the end of the file.
      return done(TransferEnd::range_unsatisfiable);
    }
    std::string reason = error_buffer[0] != '\0' ? error_buffer.data()
                                                 : curl_easy_strerror(code);
    if (is_transient(code)) {
      return failed(Outcome::Kind::transient, std::move(reason),
                    k_network_hint);
    }
    if (is_tls_trust_error(code)) {
      return failed(Outcome::Kind::permanent, std::move(reason), k_tls_hint);
    }
    if (code == CURLE_UNSUPPORTED_PROTOCOL && !state.location.empty()) {
      // libcurl's text ("Protocol "http" not supported or disabled") hides
      // that REDIR_PROTOCOLS refused a downgrading redirect.
      reason = fmt::format("refusing redirect to '{}'", state.location);
    }
    return failed(Outcome::Kind::permanent, std::move(reason), k_source_hint);
  }
  if (!state.is_http) {
    return done(TransferEnd::complete);
  }
  long status = 0;
  if (curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK) {
    return failed(Outcome::Kind::permanent, "no HTTP status received",
                  k_network_hint);
  }
  return classify_http(state, status, spec, sink);
}

std::string describe_failure(const TransferSpec& spec, const std::string& url,
                             const Outcome& outcome) {
  if (spec.label.empty()) {
    return fmt::format("cannot fetch '{}': {}", url, outcome.reason);
  }
  return fmt::format("cannot download '{}' from '{}': {}", spec.label, url,
                     outcome.reason);
}

} // namespace xtc::fetch
