// Installs SIGINT/SIGTERM/SIGHUP handlers that only set the interrupt flag
// (base/interrupt.hpp). Installed without SA_RESTART, so blocking calls such
// as flock() return EINTR and the caller can unwind.
#pragma once

namespace xtc::platform {

void install_interrupt_handlers();

} // namespace xtc::platform
