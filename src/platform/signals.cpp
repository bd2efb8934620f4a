#include "platform/signals.hpp"

#include "base/interrupt.hpp"

#include <csignal>
#include <initializer_list>

namespace xtc::platform {
namespace {

extern "C" void on_interrupt(int /*signal*/) { request_interrupt(); }

} // namespace

void install_interrupt_handlers() {
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;
  for (const int sig : {SIGINT, SIGTERM, SIGHUP}) {
    ::sigaction(sig, &action, nullptr);
  }
}

} // namespace xtc::platform
