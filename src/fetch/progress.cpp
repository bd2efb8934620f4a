#include "fetch/progress.hpp"

#include "base/diagnostics.hpp"
#include "base/strings.hpp"

#include <cstdio>

namespace xtc::fetch {
namespace {

// Ten redraws a second look smooth and cost nothing next to the transfer.
constexpr auto k_redraw_interval = std::chrono::milliseconds(100);

std::string format_eta(std::uint64_t seconds) {
  if (seconds < 60) {
    return fmt::format("{}s", seconds);
  }
  if (seconds < 3600) {
    return fmt::format("{}m{:02}s", seconds / 60, seconds % 60);
  }
  return fmt::format("{}h{:02}m", seconds / 3600, (seconds % 3600) / 60);
}

} // namespace

Progress::Progress(std::string label, std::uint64_t total, bool enabled)
    : m_label(std::move(label)), m_total(total), m_mode(Mode::off) {
  if (enabled && diag::verbosity() != diag::Verbosity::quiet) {
    m_mode = diag::stderr_is_terminal() ? Mode::terminal : Mode::plain;
  }
}

Progress::~Progress() { clear(); }

void Progress::start() {
  if (m_started || m_mode == Mode::off) {
    return;
  }
  m_started = true;
  if (m_mode == Mode::plain) {
    if (m_total != 0) {
      diag::info(
          fmt::format("downloading {} ({})", m_label, human_bytes(m_total)));
    } else {
      diag::info(fmt::format("downloading {}", m_label));
    }
  }
}

void Progress::update(std::uint64_t done, std::uint64_t total) {
  if (m_mode != Mode::terminal) {
    return;
  }
  if (m_total == 0) {
    m_total = total;
  }
  const Clock::time_point now = Clock::now();
  if (!m_have_first) {
    m_have_first = true;
    m_first_done = done;
    m_first_time = now;
  }
  if (m_drawn && now - m_last_draw < k_redraw_interval) {
    return;
  }
  m_last_draw = now;

  std::string line = fmt::format("  {}  {}", m_label, human_bytes(done));
  if (m_total != 0) {
    line += fmt::format(" / {}", human_bytes(m_total));
  }
  const double seconds =
      std::chrono::duration<double>(now - m_first_time).count();
  if (seconds >= 0.5 && done > m_first_done) {
    const double rate = static_cast<double>(done - m_first_done) / seconds;
    line +=
        fmt::format("  {}/s", human_bytes(static_cast<std::uint64_t>(rate)));
    if (m_total > done && rate >= 1.0) {
      const double eta = static_cast<double>(m_total - done) / rate;
      line +=
          fmt::format("  ETA {}", format_eta(static_cast<std::uint64_t>(eta)));
    }
  }
  // "\r" returns to column 0 and "\x1b[K" erases what a longer previous line
  // left behind.
  fmt::print(stderr, "\r{}\x1b[K", line);
  std::fflush(stderr);
  m_drawn = true;
}

void Progress::clear() noexcept {
  if (m_drawn) {
    std::fputs("\r\x1b[K", stderr);
    std::fflush(stderr);
    m_drawn = false;
  }
}

} // namespace xtc::fetch
