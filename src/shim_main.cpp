// xtc-shim: the tiny proxy behind every $XTC_HOME/bin/<triple>-<tool> name.
// It links base, platform and shim only, so a compiler call pays for one
// small exec and one file read. The common call execs from the fast path
// without allocating; anything else, and every error, takes the full one.
#include "base/diagnostics.hpp"
#include "shim/fast_path.hpp"
#include "shim/runtime.hpp"

int main(int argc, char** argv, char** envp) {
  xtc::shim::try_fast_exec(argc, argv, envp);
  try {
    xtc::shim::run(argc, argv);
  } catch (const xtc::Error& error) {
    return xtc::diag::report(error);
  }
}
