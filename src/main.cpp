// Entry point: `xtc` runs the CLI; any other name (<triple>-<tool>, when a
// shim is a link to this binary) runs the shim. Every xtc::Error is caught
// here and only here, printed, and mapped to the exit code.
#include "base/diagnostics.hpp"
#include "base/error.hpp"
#include "cli/commands.hpp"
#include "shim/runtime.hpp"

#include <exception>
#include <new>
#include <string_view>

int main(int argc, char** argv) {
  const std::string_view self(argv[0]);
  const std::string_view name = self.substr(self.rfind('/') + 1);
  try {
    if (name.starts_with("xtc")) {
      return xtc::cli::run(argc, argv);
    }
    xtc::shim::run(argc, argv);
  } catch (const xtc::Error& error) {
    return xtc::diag::report(error);
  } catch (const std::bad_alloc&) {
    // what() would be "std::bad_alloc": a type name, not a message.
    return xtc::diag::report(xtc::Error("out of memory",
                                        "free some memory and run the command "
                                        "again"));
  } catch (const std::exception& error) {
    // A bug, never an expected outcome: still one clean line rather than
    // std::terminate, and never a bare library string posing as a message.
    return xtc::diag::report(xtc::Error(
        fmt::format("internal error: {}", error.what()),
        "please report this, with the command that caused it, to xtc's "
        "issue tracker"));
  }
}
