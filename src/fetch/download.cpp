#include "fetch/download.hpp"

#include "base/diagnostics.hpp"
#include "base/error.hpp"
#include "base/strings.hpp"
#include "fetch/curl_handle.hpp"
#include "fetch/part_file.hpp"
#include "fetch/progress.hpp"
#include "fetch/registry_auth.hpp"
#include "fetch/transfer.hpp"
#include "fetch/url.hpp"
#include "platform/fs.hpp"

#include <array>

namespace xtc::fetch {
namespace {

constexpr std::string_view k_mismatch_hint =
    "the mirror served different bytes than the manifest promises; try again "
    "later or use another mirror";

// The URLs to try, every one checked before the first byte is requested:
// a refused mirror is a configuration error, not a reason to fall back.
std::vector<std::string> checked_urls(const std::vector<std::string>& urls,
                                      const Options& options) {
  std::vector<std::string> candidates = candidate_urls(urls, options.mirror);
  for (const std::string& url : candidates) {
    check_url_allowed(url);
  }
  return candidates;
}

} // namespace

GlobalInit::GlobalInit() {
  const CURLcode code = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (code != CURLE_OK) {
    throw Error(
        fmt::format("cannot initialise libcurl: {}", curl_easy_strerror(code)));
  }
}

GlobalInit::~GlobalInit() { curl_global_cleanup(); }

Options Options::from_env(const Env& env) {
  Options options;
  for (const std::string_view name :
       {"XTC_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"}) {
    if (const auto value = env.get(name)) {
      std::filesystem::path bundle(*value);
      // Relative to the Env's cwd, not the process's: they may differ.
      options.ca_bundle = bundle.is_absolute() ? bundle : env.cwd() / bundle;
      break;
    }
  }
  if (const auto mirror = env.get("XTC_MIRROR")) {
    if (mirror->find("://") == std::string::npos) {
      throw Error(fmt::format("XTC_MIRROR '{}' is not a URL", *mirror),
                  "set XTC_MIRROR to a base URL such as "
                  "https://cache.example/xtc, or to FROM=TO to replace a URL "
                  "prefix");
    }
    options.mirror = *mirror;
  }
  if (const auto seconds = env.get("XTC_LOW_SPEED_TIME")) {
    const std::optional<unsigned long long> value = parse_uint(*seconds);
    if (!value || *value == 0 || *value > 3600) {
      throw Error(fmt::format("XTC_LOW_SPEED_TIME '{}' is not a number of "
                              "seconds from 1 to 3600",
                              *seconds),
                  "set it to how long a download may stall, e.g. 30");
    }
    options.low_speed_time_s = static_cast<long>(*value);
  }
  options.registry_auth = std::make_shared<RegistryAuth>(env);
  return options;
}

Fetched download(const Request& request, const Options& options) {
  if (platform::path_exists(request.dest)) {
    return Fetched::cached;
  }
  if (options.offline) {
    throw Error(fmt::format("'{}' is not in the download cache and --offline "
                            "forbids downloading it",
                            request.label),
                "run the command once without --offline");
  }
  TransferSpec spec;
  spec.label = request.label;
  spec.urls = checked_urls(request.urls, options);
  spec.expected_size = request.size;

  platform::make_directories(request.dest.parent_path(), "download cache");
  std::filesystem::path part_path = request.dest;
  part_path += ".part";
  PartFile part(part_path, request.size, request.observer);
  std::optional<Progress> own_progress;
  if (request.progress == nullptr) {
    own_progress.emplace(request.label, request.size, options.progress);
  }
  Progress& progress =
      request.progress != nullptr ? *request.progress : *own_progress;

  bool restarted = false;
  while (true) {
    // A .part as long as the file needs no request, only verification;
    // asking for "bytes=<size>-" would just draw a 416.
    TransferResult result{TransferEnd::range_unsatisfiable, {}};
    if (request.size == 0 || part.held() != request.size) {
      result = transfer(spec, part, options, progress);
    }
    progress.clear();
    if (result.end == TransferEnd::too_large) {
      part.remove();
      throw Error(fmt::format("size mismatch for '{}' from '{}': the server "
                              "sent more than the expected {} bytes",
                              request.label, result.url, request.size),
                  std::string(k_mismatch_hint));
    }
    const std::uint64_t size = part.held();
    const verify::Sha256Digest digest = part.finish();
    const bool size_ok = request.size == 0 || size == request.size;
    if (size_ok && digest == request.sha256) {
      part.commit(request.dest);
      return Fetched::downloaded;
    }
    if (result.end == TransferEnd::range_unsatisfiable && !restarted) {
      // The bytes on disk came from an earlier run and are not the file
      // (a mirror changed, a disk hiccup): drop them and download once more.
      diag::verbose(fmt::format("partial download of '{}' is corrupt; "
                                "starting over",
                                request.label));
      part.reset();
      restarted = true;
      continue;
    }
    part.remove();
    if (!size_ok) {
      throw Error(fmt::format("size mismatch for '{}' from '{}': expected {} "
                              "bytes, got {}",
                              request.label, result.url, request.size, size),
                  std::string(k_mismatch_hint));
    }
    throw Error(fmt::format("checksum mismatch for '{}' from '{}': expected "
                            "{}, got {}",
                            request.label, result.url, request.sha256.hex(),
                            digest.hex()),
                std::string(k_mismatch_hint));
  }
}

std::string fetch_text(const std::string& url, const Options& options) {
  if (options.offline) {
    throw Error(
        fmt::format("cannot fetch '{}': --offline forbids downloading", url),
        "run the command once without --offline");
  }
  TransferSpec spec;
  spec.urls = checked_urls({url}, options);
  spec.no_cache = true;
  return transfer_text(spec, options);
}

} // namespace xtc::fetch
