// Whether a person is at the other end: used before asking a question on
// the terminal, which xtc never does when input comes from a pipe or file.
#pragma once

namespace xtc::platform {

// True when standard input is a terminal (isatty(0)).
bool stdin_is_terminal();

} // namespace xtc::platform
