// The platform xtc runs on, in the manifest's spelling of hosts:
// "x86_64-linux", "aarch64-linux", "x86_64-darwin", "aarch64-darwin".
#pragma once

#include <string>

namespace xtc::platform {

// Reads uname(2). On macOS an x86_64 process translated by Rosetta reports
// "aarch64-darwin" (sysctl.proc_translated): the native artifacts run faster.
// XTC_HOST overrides it (for testing and for unusual setups).
std::string host_platform();

} // namespace xtc::platform
