// The platform xtc runs on, in the manifest's spelling of hosts:
// "x86_64-linux", "aarch64-linux", "x86_64-darwin", "aarch64-darwin".
#pragma once

#include <optional>
#include <string>

namespace xtc::platform {

// Reads uname(2). On macOS an x86_64 process translated by Rosetta reports
// "aarch64-darwin" (sysctl.proc_translated): the native artifacts run faster.
// XTC_HOST overrides it (for testing and for unusual setups).
std::string host_platform();

// The host's version for manifest rows that need a newer one: on macOS the
// product version (sysctl kern.osproductversion: "14.6"), on Linux the
// version of its glibc (confstr _CS_GNU_LIBC_VERSION: "2.36"); nullopt
// where neither exists (a musl host). XTC_HOST_VERSION overrides it, as
// XTC_HOST does the platform.
std::optional<std::string> host_version();

} // namespace xtc::platform
