#include "install/stream_extraction.hpp"

#include "base/error.hpp"

#include <fmt/format.h>

#include <utility>

namespace xtc::install {
namespace {

// Enough to keep the extractor busy through the network's hiccups while
// holding only a little memory per parallel download.
constexpr std::size_t k_queue_bytes = 16U << 20U;

} // namespace

StreamExtraction::StreamExtraction(const store::Layout& layout,
                                   std::string prefix,
                                   std::filesystem::path display,
                                   unpack::Options options)
    : m_layout(layout), m_prefix(std::move(prefix)),
      m_display(std::move(display)), m_options(options) {}

StreamExtraction::~StreamExtraction() { stop(); }

void StreamExtraction::restart() { stop(); }

void StreamExtraction::bytes(std::string_view chunk) {
  if (!m_thread.joinable()) {
    start();
  }
  // false: the extraction stopped (it failed, or the archive ended before
  // the stream did); the download still runs to its end to be verified.
  static_cast<void>(m_queue->push(chunk));
}

StreamExtraction::Result StreamExtraction::finish() {
  if (!m_thread.joinable()) {
    start(); // an empty download: let the extractor say what is wrong
  }
  m_queue->close();
  m_thread.join();
  if (m_error) {
    std::exception_ptr error = std::exchange(m_error, nullptr);
    m_staging.reset();
    std::rethrow_exception(error);
  }
  Result result{std::move(*m_staging), std::move(m_extracted)};
  m_staging.reset();
  return result;
}

void StreamExtraction::start() {
  m_error = nullptr;
  m_extracted = {};
  m_staging.emplace(m_layout, m_prefix);
  m_queue = std::make_unique<platform::ByteQueue>(k_queue_bytes);
  m_thread = std::thread([this] {
    try {
      m_extracted = unpack::extract_stream(*m_queue, m_display,
                                           m_staging->path(), m_options);
    } catch (...) {
      m_error = std::current_exception();
    }
  });
}

void StreamExtraction::stop() noexcept {
  if (m_thread.joinable()) {
    m_queue->cancel();
    m_thread.join();
  }
  m_error = nullptr;
  m_staging.reset();
}

} // namespace xtc::install
