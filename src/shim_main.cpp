// xtc-shim: the tiny proxy behind every $XTC_HOME/bin/<triple>-<tool> name.
// It links base, platform and shim only, so a compiler call pays for one
// small exec and one file read.
#include "base/diagnostics.hpp"
#include "shim/runtime.hpp"

int main(int argc, char** argv) {
  try {
    xtc::shim::run(argc, argv);
  } catch (const xtc::Error& error) {
    return xtc::diag::report(error);
  }
}
