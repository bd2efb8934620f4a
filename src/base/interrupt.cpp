#include "base/interrupt.hpp"

#include "base/error.hpp"

#include <csignal>

namespace xtc {
namespace {
volatile std::sig_atomic_t g_interrupted = 0; // NOLINT: written by a handler
} // namespace

void request_interrupt() noexcept { g_interrupted = 1; }

bool interrupt_requested() noexcept { return g_interrupted != 0; }

void throw_if_interrupted() {
  if (interrupt_requested()) {
    throw Error("interrupted", {}, ExitCode::interrupted);
  }
}

} // namespace xtc
