#include "platform/terminal.hpp"

#include <unistd.h>

namespace xtc::platform {

bool stdin_is_terminal() { return ::isatty(STDIN_FILENO) == 1; }

} // namespace xtc::platform
