#include "fetch/transfer.hpp"

#include "base/diagnostics.hpp"
#include "base/error.hpp"
#include "base/interrupt.hpp"
#include "fetch/attempt.hpp"
#include "fetch/oci.hpp"
#include "fetch/registry_auth.hpp"

#include <algorithm>
#include <random>
#include <thread>

namespace xtc::fetch {
namespace {

constexpr auto k_first_delay = std::chrono::milliseconds(250);
constexpr auto k_max_retry_after = std::chrono::seconds(30);
constexpr auto k_sleep_slice = std::chrono::milliseconds(50);
// Manifests and tokens are kilobytes; anything this large is not one.
constexpr std::size_t k_max_text = 16 * 1024 * 1024;
// 401s answered in a row without a byte arriving in between: a registry
// that keeps refusing fresh tokens is refusing, not expiring them.
constexpr int k_max_auth_rounds = 3;

class TextSink final : public Sink {
public:
  std::uint64_t held() const override { return m_text.size(); }
  void reset() override { m_text.clear(); }
  bool write(std::string_view chunk) override {
    if (m_text.size() + chunk.size() > k_max_text) {
      return false;
    }
    m_text.append(chunk);
    return true;
  }
  std::string take() { return std::move(m_text); }

private:
  std::string m_text;
};

// Sleeps in short slices so Ctrl-C (or a cancel) during a backoff is felt
// at once.
void sleep_interruptibly(std::chrono::milliseconds delay,
                         const TransferSpec& spec, const Options& options) {
  const auto until = std::chrono::steady_clock::now() + delay;
  while (std::chrono::steady_clock::now() < until) {
    throw_if_interrupted();
    if (options.cancel != nullptr && options.cancel->load()) {
      throw Error(fmt::format("download of '{}' cancelled", spec.label));
    }
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
        k_sleep_slice, until - std::chrono::steady_clock::now()));
  }
  throw_if_interrupted();
}

std::string format_delay(std::chrono::milliseconds delay) {
  return fmt::format("{:.1f} s", static_cast<double>(delay.count()) / 1000.0);
}

} // namespace

std::chrono::milliseconds
retry_delay(int attempt, std::optional<std::chrono::seconds> retry_after) {
  if (retry_after) {
    return std::min(*retry_after, k_max_retry_after);
  }
  const int shift = std::clamp(attempt, 0, 10);
  const std::chrono::milliseconds base = k_first_delay * (1LL << shift);
  // Jitter keeps several xtc processes that failed together (a CI matrix
  // hitting one mirror) from retrying in lockstep.
  thread_local std::minstd_rand random{std::random_device{}()};
  std::uniform_int_distribution<long long> jitter(0, base.count() / 2);
  return base + std::chrono::milliseconds(jitter(random));
}

namespace {

// Where one URL of a transfer is requested, and as whom: an oci:// URL
// becomes its registry's blob endpoint, with the registry's token.
class Endpoint {
public:
  Endpoint(const std::string& url, const TransferSpec& spec,
           const Options& options)
      : m_options(options) {
    if (!is_oci_url(url)) {
      m_url = url;
      m_authorization = spec.authorization;
      return;
    }
    m_blob = parse_oci_url(url);
    m_url = blob_endpoint(*m_blob);
    m_scope = repository_scope(m_blob->repository, false);
    m_auth = options.registry_auth;
    if (!m_auth) {
      m_auth = std::make_shared<RegistryAuth>(Env({}, "/"));
    }
    m_authorization = m_auth->cached(m_blob->registry, m_scope);
  }

  const std::string& url() const { return m_url; }
  const std::string& authorization() const { return m_authorization; }

  // After a 401: true when a new Authorization is worth a new request at
  // once (a first or renewed token). Throws xtc::Error when the registry
  // refuses what it was given, or when the URL is no registry's.
  bool reauthenticate(const Outcome& outcome, std::uint64_t held) {
    if (!m_blob || outcome.status != 401 || outcome.authenticate.empty()) {
      return false;
    }
    if (held != m_held_at_last_round) {
      m_rounds = 0; // bytes arrived since: the token expired mid-download
    }
    if (++m_rounds > k_max_auth_rounds) {
      // Each answer got a fresh token (a token service never issues the
      // same one twice), and each was refused before a byte arrived.
      throw Error(
          fmt::format("registry '{}' refused every token for {} ({} in a "
                      "row)",
                      m_blob->registry, m_scope, k_max_auth_rounds),
          fmt::format("the registry does not trust its token service's "
                      "tokens, or the credentials lack pull access to {}; "
                      "check the registry's log",
                      m_blob->repository));
    }
    m_held_at_last_round = held;
    m_authorization =
        m_auth->answer(m_blob->registry, m_scope, outcome.authenticate,
                       m_authorization, m_options);
    return true;
  }

private:
  const Options& m_options;
  std::string m_url;
  std::string m_authorization;
  std::optional<OciBlob> m_blob;
  std::string m_scope;
  std::shared_ptr<RegistryAuth> m_auth;
  int m_rounds = 0;
  std::uint64_t m_held_at_last_round = 0;
};

} // namespace

TransferResult transfer(const TransferSpec& spec, Sink& sink,
                        const Options& options, Progress& progress) {
  if (spec.urls.empty()) {
    throw Error(fmt::format("cannot download '{}': the manifest lists no URL",
                            spec.label),
                "check the manifest");
  }
  const CurlEasy easy = make_easy();
  Outcome last;
  std::string last_url;
  for (std::size_t index = 0; index < spec.urls.size(); ++index) {
    const std::string& url = spec.urls[index];
    std::optional<Endpoint> endpoint;
    try {
      endpoint.emplace(url, spec, options);
    } catch (const Error& error) {
      last = Outcome{};
      last.reason = error.what();
      last.hint = error.hint();
      last_url = url;
      if (index + 1 < spec.urls.size()) {
        progress.clear();
        diag::warning(fmt::format("{}; trying the next mirror",
                                  describe_failure(spec, url, last)));
      }
      continue;
    }
    for (int attempt = 0;; ++attempt) {
      last = perform_attempt(easy.get(), endpoint->url(), spec, sink, options,
                             progress, endpoint->authorization());
      last_url = url;
      if (last.kind == Outcome::Kind::done) {
        return TransferResult{last.end, url};
      }
      if (last.status == 401) {
        bool again = false;
        try {
          again = endpoint->reauthenticate(last, sink.held());
        } catch (const Error& error) {
          last.reason = error.what();
          last.hint = error.hint();
        }
        if (again) {
          --attempt; // an answered challenge is not a failed attempt
          continue;
        }
        break;
      }
      if (last.kind == Outcome::Kind::permanent || attempt >= options.retries) {
        break;
      }
      const std::chrono::milliseconds delay =
          retry_delay(attempt, last.retry_after);
      progress.clear();
      diag::verbose(fmt::format("{}; retrying in {} (attempt {} of {})",
                                describe_failure(spec, url, last),
                                format_delay(delay), attempt + 2,
                                options.retries + 1));
      sleep_interruptibly(delay, spec, options);
    }
    if (index + 1 < spec.urls.size()) {
      progress.clear();
      diag::warning(fmt::format("{}; trying the next mirror",
                                describe_failure(spec, url, last)));
    }
  }
  throw Error(describe_failure(spec, last_url, last), last.hint);
}

std::string transfer_text(const TransferSpec& spec, const Options& options) {
  TextSink sink;
  Progress progress({}, 0, false);
  const TransferResult result = transfer(spec, sink, options, progress);
  if (result.end == TransferEnd::too_large) {
    throw Error(fmt::format("cannot fetch '{}': the document is larger than "
                            "16 MiB",
                            result.url),
                "check the URL; a manifest is far smaller than that");
  }
  return sink.take();
}

} // namespace xtc::fetch
