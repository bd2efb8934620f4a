// The interrupt flag. SIGINT/SIGTERM handlers (installed by the CLI through
// platform/signals) only set it; long loops (curl's progress callback, the
// unpack loop) poll it and unwind with an Error carrying exit code 130, so
// every destructor that undoes partial work still runs.
#pragma once

namespace xtc {

// Async-signal-safe: sets the flag.
void request_interrupt() noexcept;

bool interrupt_requested() noexcept;

// Throws xtc::Error (ExitCode::interrupted) when the flag is set.
void throw_if_interrupted();

} // namespace xtc
