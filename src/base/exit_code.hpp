// Process exit codes xtc returns. A shim exec()s its tool, so a compiler's
// own status is the shim's status and never passes through this table.
#pragma once

namespace xtc {

enum class ExitCode : int {
  success = 0,
  failure = 1,
  usage = 2,
  interrupted = 130,
};

} // namespace xtc
