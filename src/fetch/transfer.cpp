#include "fetch/transfer.hpp"

#include "base/diagnostics.hpp"
#include "base/error.hpp"
#include "base/interrupt.hpp"
#include "fetch/attempt.hpp"

#include <algorithm>
#include <random>
#include <thread>

namespace xtc::fetch {
namespace {

constexpr auto k_first_delay = std::chrono::milliseconds(250);
constexpr auto k_max_retry_after = std::chrono::seconds(30);
constexpr auto k_sleep_slice = std::chrono::milliseconds(50);

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
    for (int attempt = 0;; ++attempt) {
      last = perform_attempt(easy.get(), url, spec, sink, options, progress);
      last_url = url;
      if (last.kind == Outcome::Kind::done) {
        return TransferResult{last.end, url};
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

} // namespace xtc::fetch
