#include "base/diagnostics.hpp"

#include "base/strings.hpp"

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
  fmt::print(stderr, "{}{}\n", style(prefix, sgr),
             printable(redact_credentials(message)));
}

// The length of the UTF-8 sequence starting at text[at] when it is valid
// (no overlong forms, surrogates or code points past U+10FFFF), else 0.
std::size_t utf8_length(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) {
    return static_cast<unsigned char>(text[i]);
  };
  const unsigned char lead = byte(at);
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    low = lead == 0xE0 ? 0xA0 : 0x80;
    high = lead == 0xED ? 0x9F : 0xBF;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    low = lead == 0xF0 ? 0x90 : 0x80;
    high = lead == 0xF4 ? 0x8F : 0xBF;
  } else {
    return 0;
  }
  if (at + length > text.size() || byte(at + 1) < low || byte(at + 1) > high) {
    return 0;
  }
  for (std::size_t i = 2; i < length; ++i) {
    if (byte(at + i) < 0x80 || byte(at + i) > 0xBF) {
      return 0;
    }
  }
  return length;
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

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  while (at < text.size()) {
    const auto c = static_cast<unsigned char>(text[at]);
    if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
      ++at;
      continue;
    }
    if (c < 0x80) {
      switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += fmt::format("\\x{:02x}", c);
      }
      ++at;
      continue;
    }
    const std::size_t length = utf8_length(text, at);
    if (length == 0) {
      out += fmt::format("\\x{:02x}", c);
      ++at;
      continue;
    }
    // U+0080..U+009F, the C1 controls (CSI is U+009B), are C2 80..C2 9F.
    if (length == 2 && c == 0xC2 &&
        static_cast<unsigned char>(text[at + 1]) <= 0x9F) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned char>(text[at + 1]));
    } else {
      out.append(text.substr(at, length));
    }
    at += length;
  }
  return out;
}

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
    fmt::print(stderr, "{}\n", printable(redact_credentials(message)));
  }
}

void status(std::string_view label, std::string_view sgr,
            std::string_view message) {
  if (state().verbosity != Verbosity::quiet) {
    fmt::print(stderr, "{} {}\n", style(printable(label), sgr),
               printable(redact_credentials(message)));
  }
}

void verbose(std::string_view message) {
  if (state().verbosity == Verbosity::verbose) {
    fmt::print(stderr, "{}\n",
               style(printable(redact_credentials(message)), "2"));
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
