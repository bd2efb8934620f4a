// StreamExtraction unpacks a download while it is still arriving: it is the
// download's StreamObserver, passes each chunk through a bounded ByteQueue to
// a second thread that runs unpack::extract_stream into a fresh staging
// directory. When the download restarts from byte 0, the extraction is
// cancelled, its staging directory removed, and a new one starts with the
// next byte. Nothing it makes is visible in the store: the caller commits
// the staging directory only after the download's digest matched.
#pragma once

#include "fetch/download.hpp"
#include "platform/byte_queue.hpp"
#include "store/layout.hpp"
#include "store/store.hpp"
#include "unpack/extract.hpp"

#include <exception>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>

namespace xtc::install {

class StreamExtraction final : public fetch::StreamObserver {
public:
  struct Result {
    store::Staging staging;
    unpack::Extracted extracted;
  };

  // display names the archive in unpack errors; staging directories are
  // tmp/<prefix> plus a unique suffix.
  StreamExtraction(const store::Layout& layout, std::string prefix,
                   std::filesystem::path display, unpack::Options options);
  StreamExtraction(const StreamExtraction&) = delete;
  StreamExtraction& operator=(const StreamExtraction&) = delete;
  // Cancels a running extraction, waits for it, removes its staging
  // directory. Never throws.
  ~StreamExtraction() override;

  void restart() override;
  // Starts the extraction at the first byte; waits while the queue is full.
  void bytes(std::string_view chunk) override;

  // Ends the stream and waits for the extraction. Returns the filled
  // staging directory; throws the extraction's xtc::Error.
  Result finish();

private:
  void start();
  void stop() noexcept;

  const store::Layout& m_layout;
  std::string m_prefix;
  std::filesystem::path m_display;
  unpack::Options m_options;

  std::unique_ptr<platform::ByteQueue> m_queue;
  std::optional<store::Staging> m_staging;
  std::thread m_thread;
  unpack::Extracted m_extracted;
  std::exception_ptr m_error;
};

} // namespace xtc::install
