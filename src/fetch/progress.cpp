#include "fetch/progress.hpp"

#include "base/diagnostics.hpp"
#include "base/strings.hpp"

#include <algorithm>
#include <cstdio>
#include <mutex>
#include <vector>

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

// The live lines of every download in flight, drawn as one block whose
// last line ends where the cursor rests: "\x1b[<n>F" moves to the start of
// the block's first line, "\x1b[K" erases what a longer line left behind,
// "\x1b[J" what a taller block left below.
class Board {
public:
  static Board& instance() {
    static Board board;
    return board;
  }

  void set(const Progress* owner, std::string line, bool force) {
    const std::lock_guard lock(m_mutex);
    const auto it = find(owner);
    if (it == m_rows.end()) {
      m_rows.push_back({owner, std::move(line)});
      force = true; // a new download shows up at once
    } else {
      it->text = std::move(line);
    }
    const auto now = std::chrono::steady_clock::now();
    if (force || m_drawn == 0 || now - m_last_draw >= k_redraw_interval) {
      draw();
      m_last_draw = now;
    }
  }

  // Drops owner's row; `permanent` (may be empty) is printed above the
  // remaining rows for good.
  void remove(const Progress* owner, const std::string& permanent) noexcept {
    const std::lock_guard lock(m_mutex);
    const auto it = find(owner);
    if (it == m_rows.end() && permanent.empty()) {
      return;
    }
    if (it != m_rows.end()) {
      m_rows.erase(it);
    }
    erase();
    if (!permanent.empty()) {
      std::fputs(permanent.c_str(), stderr);
      std::fputc('\n', stderr);
    }
    draw();
  }

  void clear() noexcept {
    const std::lock_guard lock(m_mutex);
    erase();
    std::fflush(stderr);
  }

private:
  struct Row {
    const Progress* owner;
    std::string text;
  };

  std::vector<Row>::iterator find(const Progress* owner) {
    return std::find_if(m_rows.begin(), m_rows.end(),
                        [owner](const Row& row) { return row.owner == owner; });
  }

  void erase() noexcept {
    if (m_drawn > 0) {
      std::fprintf(stderr, "\x1b[%zuF\x1b[J", m_drawn);
      m_drawn = 0;
    }
  }

  void draw() noexcept {
    std::string block;
    if (m_drawn > 0) {
      block += fmt::format("\x1b[{}F", m_drawn);
    }
    for (const Row& row : m_rows) {
      block += row.text;
      block += "\x1b[K\n";
    }
    block += "\x1b[J";
    std::fputs(block.c_str(), stderr);
    std::fflush(stderr);
    m_drawn = m_rows.size();
  }

  std::mutex m_mutex;
  std::vector<Row> m_rows;
  std::size_t m_drawn = 0; // lines of the block now on screen
  std::chrono::steady_clock::time_point m_last_draw;
};

} // namespace

Progress::Progress(std::string label, std::uint64_t total, bool enabled,
                   std::string_view verb)
    : m_label(diag::printable(label)), m_verb(verb), m_total(total),
      m_mode(Mode::off) {
  if (enabled && diag::verbosity() != diag::Verbosity::quiet) {
    m_mode = diag::stderr_is_terminal() ? Mode::terminal : Mode::plain;
  }
}

Progress::~Progress() {
  if (m_mode == Mode::terminal && !m_finished) {
    Board::instance().remove(this, {});
  }
}

void Progress::start() {
  if (m_started || m_mode == Mode::off) {
    return;
  }
  m_started = true;
  if (m_mode == Mode::plain) {
    if (m_total != 0) {
      diag::info(
          fmt::format("{} {} ({})", m_verb, m_label, human_bytes(m_total)));
    } else {
      diag::info(fmt::format("{} {}", m_verb, m_label));
    }
    return;
  }
  update(m_done, m_total);
}

void Progress::update(std::uint64_t done, std::uint64_t total) {
  if (m_mode != Mode::terminal || m_finished) {
    return;
  }
  if (m_total == 0) {
    m_total = total;
  }
  m_done = done;
  const Clock::time_point now = Clock::now();
  if (!m_have_first) {
    m_have_first = true;
    m_first_done = done;
    m_first_time = now;
  }
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
  Board::instance().set(this, std::move(line), false);
}

void Progress::clear() noexcept {
  if (m_mode == Mode::terminal) {
    Board::instance().clear();
  }
}

void Progress::finish(std::string_view outcome, std::string_view detail) {
  if (m_finished || m_mode == Mode::off) {
    return;
  }
  m_finished = true;
  if (m_mode == Mode::plain) {
    diag::info(fmt::format("{}: {}{}", m_label, outcome, detail));
    return;
  }
  const std::uint64_t size = m_total != 0 ? m_total : m_done;
  Board::instance().remove(
      this, fmt::format("  {}  {}  {}{}", m_label, human_bytes(size),
                        diag::style(diag::printable(outcome), "32"),
                        diag::printable(detail)));
}

} // namespace xtc::fetch
