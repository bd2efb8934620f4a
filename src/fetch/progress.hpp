// Download progress on stderr. On a terminal: one live line per download in
// flight (several at once when artifacts download in parallel), redrawn at
// most ten times a second below everything else; a finished download's line
// stays as a permanent line with its outcome ("verified, unpacked").
// Elsewhere (logs, CI): one plain "downloading <label> (<size>)" line at the
// start, one "<label>: <outcome>" line at the end, nothing per chunk. Under
// --quiet: nothing. Never writes to stdout. Safe to use from several
// threads, one Progress per thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace xtc::fetch {

class Progress {
public:
  // enabled false (or --quiet) makes every call a no-op. total 0: unknown.
  // `verb` starts the plain line: "downloading", or "pushing" for an
  // upload (whose bytes are counted the same way).
  Progress(std::string label, std::uint64_t total, bool enabled,
           std::string_view verb = "downloading");
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  // Removes the live line if finish() was not called.
  ~Progress();

  // Announces the download (the plain line when stderr is not a terminal,
  // the live line on one); only the first call prints.
  void start();
  // Records that `done` bytes of the file are present; `total` replaces an
  // unknown total. Redraws the terminal lines when due.
  void update(std::uint64_t done, std::uint64_t total);
  // Erases every live line, e.g. before a warning is printed; the next
  // update draws them again.
  void clear() noexcept;
  // Ends the download's line with its outcome: on a terminal the live line
  // becomes "<label>  <size>  <outcome><detail>" for good, the outcome in
  // green; elsewhere the plain line "<label>: <outcome><detail>" is printed.
  void finish(std::string_view outcome, std::string_view detail);

private:
  enum class Mode { off, plain, terminal };
  using Clock = std::chrono::steady_clock;

  std::string m_label;
  std::string_view m_verb; // a literal
  std::uint64_t m_total;
  Mode m_mode;
  bool m_started = false;
  bool m_finished = false;
  std::uint64_t m_done = 0;
  // Rate counts only this session's bytes, not those resumed from disk.
  std::uint64_t m_first_done = 0;
  bool m_have_first = false;
  Clock::time_point m_first_time;
};

} // namespace xtc::fetch
