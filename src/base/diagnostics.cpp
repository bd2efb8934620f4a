#include "base/diagnostics.hpp"

#include <unistd.h>

#include <cstdio>

namespace xtc::diag {
namespace {

struct State {
  Verbosity verbosity = Verbosity::normal;
  bool colour = false;
  bool terminal = false;
};

State& state() {
  static State s;
  return s;
}

void print_line(std::string_view prefix, std::string_view sgr,
                std::string_view message) {
  // One fmt::print call per line, so concurrent writers never interleave
  // inside a line.
  fmt::print(stderr, "{}{}\n", style(prefix, sgr), message);
}

} // namespace

void configure(Verbosity verbosity, const Env& env) {
  State& s = state();
  s.verbosity = verbosity;
  s.terminal = isatty(STDERR_FILENO) == 1;
  const bool dumb = env.get("TERM").value_or("") == "dumb";
  s.colour = s.terminal && !dumb && !env.get("NO_COLOR").has_value();
}

Verbosity verbosity() { return state().verbosity; }

bool stderr_is_terminal() { return state().terminal; }

void error(std::string_view message) {
  print_line("xtc: error: ", "1;31", message);
}

void hint(std::string_view message) {
  print_line("xtc: hint: ", "1;36", message);
}

void warning(std::string_view message) {
  print_line("xtc: warning: ", "1;33", message);
}

void info(std::string_view message) {
  if (state().verbosity != Verbosity::quiet) {
    fmt::print(stderr, "{}\n", message);
  }
}

void verbose(std::string_view message) {
  if (state().verbosity == Verbosity::verbose) {
    fmt::print(stderr, "{}\n", style(message, "2"));
  }
}

int report(const Error& failure) {
  error(failure.message());
  if (!failure.hint().empty()) {
    hint(failure.hint());
  }
  return static_cast<int>(failure.code());
}

std::string style(std::string_view text, std::string_view sgr) {
  if (!state().colour) {
    return std::string(text);
  }
  return fmt::format("\x1b[{}m{}\x1b[0m", sgr, text);
}

} // namespace xtc::diag
