// The diagnostics printer: every message for people goes to stderr through
// here, prefixed "xtc: error:", "xtc: warning:", "xtc: hint:" or plain
// progress text. Colour only on a terminal and never with NO_COLOR. Results
// (what a script would parse) go to stdout and never through this printer.
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

void error(std::string_view message);
void hint(std::string_view message);
void warning(std::string_view message);
// A progress or status line; silent under --quiet.
void info(std::string_view message);
// Detail for --verbose only.
void verbose(std::string_view message);

// Prints an error and its hint; returns its exit code as an int for main().
int report(const Error& error);

// Wraps text in an ANSI style when colour is on ("1" bold, "32" green …).
std::string style(std::string_view text, std::string_view sgr);

} // namespace xtc::diag
