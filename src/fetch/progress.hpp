// Download progress on stderr. On a terminal: one line per download,
// redrawn at most ten times a second and erased when the download ends.
// Elsewhere (logs, CI): one plain "downloading <label> (<size>)" line and
// nothing per chunk. Under --quiet: nothing. Never writes to stdout.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace xtc::fetch {

class Progress {
public:
  // enabled false (or --quiet) makes every call a no-op. total 0: unknown.
  Progress(std::string label, std::uint64_t total, bool enabled);
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  ~Progress();

  // Announces the download (the plain line when stderr is not a terminal);
  // only the first call prints.
  void start();
  // Records that `done` bytes of the file are present; `total` replaces an
  // unknown total. Redraws the terminal line when due.
  void update(std::uint64_t done, std::uint64_t total);
  // Erases the terminal line, e.g. before a warning is printed.
  void clear() noexcept;

private:
  enum class Mode { off, plain, terminal };
  using Clock = std::chrono::steady_clock;

  std::string m_label;
  std::uint64_t m_total;
  Mode m_mode;
  bool m_started = false;
  bool m_drawn = false;
  // Rate counts only this session's bytes, not those resumed from disk.
  std::uint64_t m_first_done = 0;
  bool m_have_first = false;
  Clock::time_point m_first_time;
  Clock::time_point m_last_draw;
};

} // namespace xtc::fetch
