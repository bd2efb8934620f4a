// The diagnostics printer: every message for people goes to stderr through
// here, prefixed "xtc: error:", "xtc: warning:", "xtc: hint:" or plain
// progress text. Colour only on a terminal and never with NO_COLOR. Results
// (what a script would parse) go to stdout and never through this printer.
//
// Messages quote what they are about: archive entry names, URLs, file
// contents, arguments, all of which an attacker may choose. So the printer
// never passes a control character through: every message is made
// printable() here, and colour is added only by the printer itself (status()
// and the prefixes), never carried inside a message. URLs lose their
// credentials here too (redact_credentials in base/strings.hpp).
#pragma once

#include "base/env.hpp"
#include "base/error.hpp"

#include <fmt/format.h>

#include <string_view>

namespace xtc::diag {

enum class Verbosity { quiet, normal, verbose };

// Configures the printer once from the CLI's flags and the environment.
void configure(Verbosity verbosity, const Env& env);

Verbosity verbosity();
// True when stderr is a terminal (progress bars may redraw lines).
bool stderr_is_terminal();

// `text` with every control character escaped (C0 and DEL as \n, \r, \t or
// \xNN; C1 as \u0080..\u009f; bytes that are not UTF-8 as \xNN), so that
// no string can move the cursor, set the title or recolour the terminal,
// and a newline cannot split a diagnostic into two.
std::string printable(std::string_view text);

void error(std::string_view message);
void hint(std::string_view message);
void warning(std::string_view message);
// A progress or status line; silent under --quiet.
void info(std::string_view message);
// A status line that starts with a coloured label: "<label> <message>"
// ("added x86_64-linux-musl (zig flavor)"); silent under --quiet.
void status(std::string_view label, std::string_view sgr,
            std::string_view message);
// Detail for --verbose only.
void verbose(std::string_view message);

// Prints an error and its hint; returns its exit code as an int for main().
int report(const Error& error);

// Wraps text in an ANSI style when colour is on ("1" bold, "32" green …).
// For text xtc wrote itself: a style inside a message would be escaped.
std::string style(std::string_view text, std::string_view sgr);

} // namespace xtc::diag
